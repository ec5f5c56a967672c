package io.hrlf.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The published schemas vendored under {@code schemas/} (see its README), each made as strict as the
 * server that would receive the document: a structural CRD or Kubernetes schema refuses a field it does
 * not declare unless it says {@code x-kubernetes-preserve-unknown-fields}, as kubectl's server-side
 * field validation does.
 */
final class SchemaCatalog {
    static final String FLINK_OPERATOR = "flink-kubernetes-operator-1.14.0";
    static final String STRIMZI = "strimzi-1.0.1";
    static final String KUBERNETES = "kubernetes-1.36";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory DRAFT_7 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    private static final String[] CRDS = {FLINK_OPERATOR + "/flinkdeployments.flink.apache.org-v1.yml",
            STRIMZI + "/040-Crd-kafka.yaml", STRIMZI + "/043-Crd-kafkatopic.yaml", STRIMZI + "/044-Crd-kafkauser.yaml",
            STRIMZI + "/045-Crd-kafkanodepool.yaml"};

    private final Map<String, JsonSchema> byApiVersionAndKind = new HashMap<>();
    private final JsonSchema compose;

    SchemaCatalog() {
        for (String crd : CRDS) {
            addCrd(read(YAML, crd));
        }
        addKubernetesDefinitions((ObjectNode) read(JSON, KUBERNETES + "/definitions.json"));
        ObjectNode composeSpec = (ObjectNode) read(JSON, "compose-spec/compose-spec.json");
        composeSpec.remove("$id"); // a bare file name, not a URI: the validator would refuse it as a base
        compose = DRAFT_7.getSchema(composeSpec);
    }

    /** The schema errors of a Kubernetes document; fails when no vendored schema serves its apiVersion and kind. */
    Set<String> validate(JsonNode document) {
        String id = document.path("apiVersion").asText() + " " + document.path("kind").asText();
        JsonSchema schema = byApiVersionAndKind.get(id);
        if (schema == null) {
            throw new AssertionError("no vendored schema serves " + id + " (served: " + new TreeSet<>(byApiVersionAndKind.keySet()) + ")");
        }
        return messages(schema.validate(document));
    }

    Set<String> validateCompose(JsonNode composeFile) {
        return messages(compose.validate(composeFile));
    }

    private void addCrd(JsonNode crd) {
        String group = crd.at("/spec/group").asText();
        String kind = crd.at("/spec/names/kind").asText();
        for (JsonNode version : crd.at("/spec/versions")) {
            if (version.path("served").asBoolean(false)) {
                ObjectNode schema = version.at("/schema/openAPIV3Schema").deepCopy();
                // the API server accepts these on every object whether the CRD lists them or not (it
                // validates metadata itself; the manifests' metadata is checked against ObjectMeta below)
                ObjectNode properties = schema.with("properties");
                for (String implicit : new String[] {"apiVersion", "kind", "metadata"}) {
                    if (!properties.has(implicit)) {
                        properties.putObject(implicit);
                    }
                }
                refuseUndeclaredFields(schema);
                byApiVersionAndKind.put(group + "/" + version.path("name").asText() + " " + kind, DRAFT_7.getSchema(schema));
            }
        }
    }

    private void addKubernetesDefinitions(ObjectNode root) {
        ObjectNode definitions = (ObjectNode) root.path("definitions");
        for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext(); ) {
            refuseUndeclaredFields(it.next().getValue());
        }
        // numbers are valid quantities and int-or-strings for the API server (cpu: 1, port: 8080)
        for (String numeric : new String[] {"io.k8s.apimachinery.pkg.api.resource.Quantity",
                "io.k8s.apimachinery.pkg.util.intstr.IntOrString"}) {
            ObjectNode definition = (ObjectNode) definitions.get(numeric);
            definition.remove("type");
            definition.remove("format");
            definition.putArray("type").add("string").add("number");
        }
        definitions.fields().forEachRemaining(entry -> {
            for (JsonNode gvk : entry.getValue().path("x-kubernetes-group-version-kind")) {
                String group = gvk.path("group").asText();
                String apiVersion = (group.isEmpty() ? "" : group + "/") + gvk.path("version").asText();
                ObjectNode schema = JSON.createObjectNode();
                schema.put("$ref", "#/definitions/" + entry.getKey());
                schema.set("definitions", definitions);
                byApiVersionAndKind.put(apiVersion + " " + gvk.path("kind").asText(), DRAFT_7.getSchema(schema));
            }
        });
    }

    /** additionalProperties: false on every object schema that lists its properties and keeps no unknown fields. */
    private static void refuseUndeclaredFields(JsonNode schema) {
        if (schema.isObject()) {
            ObjectNode node = (ObjectNode) schema;
            if (node.has("properties") && !node.has("additionalProperties")
                    && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                node.put("additionalProperties", false);
            }
            node.elements().forEachRemaining(SchemaCatalog::refuseUndeclaredFields);
        } else if (schema.isArray()) {
            schema.elements().forEachRemaining(SchemaCatalog::refuseUndeclaredFields);
        }
    }

    private static Set<String> messages(Set<ValidationMessage> messages) {
        return messages.stream().map(ValidationMessage::getMessage).collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode read(ObjectMapper mapper, String resource) {
        try (InputStream in = SchemaCatalog.class.getResourceAsStream("/schemas/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource schemas/" + resource);
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
