# The job image: the official Flink image with the HRLF job, TensorFlow Java in lib/, and the tool jar.
#
#   docker build -t hrlf-job:0.1.0 .                                   # CPU natives
#   docker build -t hrlf-job:0.1.0-gpu --build-arg MAVEN_PROFILES=-Pgpu .  # CUDA natives (linux-x86_64-gpu)
#
# The same image runs the JobManager (standalone-job, application mode), CPU and GPU TaskManagers,
# the simulator (java -jar /opt/hrlf/hrlf-demo.jar simulate) and the model trainer for the demo.
# Not built on the project's CI machines (they have no Docker engine); DeploymentManifestsTest
# checks its structure and that its Flink version is the one the job is compiled against.

FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
ARG MAVEN_PROFILES=""
RUN ./mvnw -B -ntp -DskipTests ${MAVEN_PROFILES} -pl flink-job -am package

FROM flink:2.2.1-scala_2.12-java17
# TensorFlow, its natives, JavaCPP and protobuf go in lib/ so the native library is loaded once per
# JVM; Flink's child-first job class loaders would otherwise load it again after every restart.
COPY --from=build --chown=flink:flink /src/flink-job/target/flink-lib/ /opt/flink/lib/
COPY --from=build --chown=flink:flink /src/flink-job/target/hrlf-job.jar /opt/flink/usrlib/hrlf-job.jar
COPY --from=build --chown=flink:flink /src/flink-job/target/hrlf-demo.jar /opt/hrlf/hrlf-demo.jar
# S3 file system for checkpoints and savepoints on Kubernetes, enabled in the image rather than at start
# (ENABLE_BUILT_IN_PLUGINS writes into plugins/, which a read-only root file system forbids).
RUN mkdir -p /opt/flink/plugins/s3-fs-presto \
    && cp /opt/flink/opt/flink-s3-fs-presto-*.jar /opt/flink/plugins/s3-fs-presto/
# Mount points owned by flink, so named volumes mounted there are writable without root.
RUN mkdir -p /models /flink-data && chown flink:flink /models /flink-data
# The official image's user (uid 9999); the entrypoint never needs root for these commands.
USER flink
