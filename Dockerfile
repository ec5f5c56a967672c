# The job image: the official Flink image with the HRLF job, TensorFlow Java in lib/, and the tool jar.
#
#   docker build -t hrlf-job:0.1.0 .                                                      # CPU (default target)
#   docker build -t hrlf-job:0.1.0-gpu --target gpu --build-arg MAVEN_PROFILES=-Pgpu .    # GPU: CUDA 12 + cuDNN 9
#
# The same image runs the JobManager (standalone-job, application mode), CPU and GPU TaskManagers,
# the simulator (java -jar /opt/hrlf/hrlf-demo.jar simulate) and the model trainer for the demo.
# Never built here (no Docker engine where this project is built and tested); DeploymentManifestsTest
# checks its structure, its base images and every Flink key it sets.

FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
ARG MAVEN_PROFILES=""
RUN ./mvnw -B -ntp -DskipTests ${MAVEN_PROFILES} -pl flink-job,demo -am package

# Everything the job needs, laid out in the official image's /opt/flink (and /opt/hrlf).
FROM flink:2.2.1-scala_2.12-java17 AS flink-app
# TensorFlow, its natives, JavaCPP and protobuf go in lib/ so the native library is loaded once per
# JVM; Flink's child-first job class loaders would otherwise load it again after every restart.
COPY --from=build --chown=flink:flink /src/flink-job/target/flink-lib/ /opt/flink/lib/
# The job jar lives outside usrlib/: the Kubernetes operator mounts an empty directory over
# /opt/flink/usrlib on a standalone application JobManager (its UserLibMountDecorator), and the
# FlinkDeployment names the jar by path (jarURI). docker compose's standalone-job finds it through
# the link in usrlib/.
COPY --from=build --chown=flink:flink /src/flink-job/target/hrlf-job.jar /opt/hrlf/hrlf-job.jar
COPY --from=build --chown=flink:flink /src/demo/target/hrlf-demo.jar /opt/hrlf/hrlf-demo.jar
# The base image ends with USER flink; creating directories in / and plugins/ needs root, then the
# image switches back.
USER root
# S3 file system for checkpoints and savepoints on Kubernetes, enabled in the image rather than at start
# (ENABLE_BUILT_IN_PLUGINS writes into plugins/, which a read-only root file system forbids).
# /models and /flink-data are mount points owned by flink, so volumes mounted there are writable.
RUN mkdir -p /opt/flink/plugins/s3-fs-presto /opt/flink/usrlib /models /flink-data \
    && cp /opt/flink/opt/flink-s3-fs-presto-*.jar /opt/flink/plugins/s3-fs-presto/ \
    && ln -s /opt/hrlf/hrlf-job.jar /opt/flink/usrlib/hrlf-job.jar \
    && chown -R flink:flink /opt/flink/usrlib /models /flink-data
USER flink

# GPU: TensorFlow Java 1.1.0 is TensorFlow 2.18.0, built against CUDA 12.5 and cuDNN 9.3. The
# linux-x86_64-gpu natives bring no CUDA libraries and the NVIDIA container runtime injects only the
# driver, so the runtime (libcudart, cuBLAS, cuFFT, cuSPARSE, cuDNN) comes from NVIDIA's image; the
# JRE and the Flink distribution are copied in from the official images, unchanged.
FROM nvidia/cuda:12.5.1-cudnn-runtime-ubuntu22.04 AS gpu
ENV JAVA_HOME=/opt/java/openjdk \
    FLINK_HOME=/opt/flink \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
ENV PATH=${JAVA_HOME}/bin:${FLINK_HOME}/bin:${PATH}
# The official Flink image's user (uid/gid 9999) and the tools its entrypoint uses.
RUN groupadd --system --gid=9999 flink \
    && useradd --system --home-dir /opt/flink --uid=9999 --gid=flink flink \
    && apt-get update \
    && apt-get install -y --no-install-recommends gettext-base libjemalloc2 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=eclipse-temurin:17.0.15_6-jre-jammy /opt/java/openjdk /opt/java/openjdk
COPY --from=flink-app /docker-entrypoint.sh /docker-entrypoint.sh
COPY --from=flink-app --chown=flink:flink /opt/flink /opt/flink
COPY --from=flink-app --chown=flink:flink /opt/hrlf /opt/hrlf
COPY --from=flink-app --chown=flink:flink /models /models
COPY --from=flink-app --chown=flink:flink /flink-data /flink-data
WORKDIR /opt/flink
USER flink
EXPOSE 6123 8081
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["help"]

# CPU (the default target): the official image as prepared above.
FROM flink-app AS cpu
