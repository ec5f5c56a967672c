package io.hrlf.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractTest {

    @Test
    void missingPatternsReadLikeThePaper() {
        assertThat(MissingPattern.fromPresenceFlags(new boolean[] {true, true, true}).code()).isEqualTo("l,a,v");
        assertThat(MissingPattern.fromPresenceFlags(new boolean[] {true, false, true}).code()).isEqualTo("l,v");
        assertThat(MissingPattern.present(Modality.AUDIO).code()).isEqualTo("a");
        assertThat(MissingPattern.present().code()).isEmpty();
        assertThat(MissingPattern.FULL.code()).isEqualTo("l,a,v");
        assertThat(MissingPattern.PAPER_MISSING_CONDITIONS).extracting(MissingPattern::code)
                .containsExactly("l", "a", "v", "l,a", "l,v", "a,v");
        assertThat(MissingPattern.EVERY_NON_EMPTY).hasSize(7).doesNotHaveDuplicates().startsWith(MissingPattern.FULL);
        assertThatThrownBy(() -> MissingPattern.parseCode("l,x")).hasMessageContaining("'x'");
    }

    @Test
    void aPatternMapsToAndFromItsCodeFlagsAndMasks() {
        for (MissingPattern pattern : MissingPattern.EVERY_NON_EMPTY) {
            assertThat(MissingPattern.parseCode(pattern.code())).isEqualTo(pattern);
            assertThat(MissingPattern.fromPresenceFlags(pattern.presenceFlags())).isEqualTo(pattern);
            float[][] masks = new float[3][4];
            for (Modality m : pattern.presentModalities()) {
                masks[m.ordinal()][2] = 1f; // one observed step is enough
            }
            assertThat(MissingPattern.fromMasks(masks)).isEqualTo(pattern);
        }
        assertThat(MissingPattern.present(Modality.VISION, Modality.TEXT))
                .isEqualTo(MissingPattern.parseCode(" v , l "))
                .hasToString("MissingPattern{l,v}");
        assertThat(MissingPattern.present(java.util.List.of()).isPresent(Modality.TEXT)).isFalse();
        assertThatThrownBy(() -> MissingPattern.fromPresenceFlags(new boolean[2])).hasMessageContaining("2");
    }

    @Test
    void theCodesAndTheirOrderAreThoseOfTheEvaluationReports() {
        // evaluation JSON, predictions CSV and charts are keyed and ordered by these codes
        assertThat(MissingPattern.fromPresenceFlags(new boolean[] {false, true, true}).code()).isEqualTo("a,v");
        assertThat(MissingPattern.parseCode("l,v").presenceFlags()).containsExactly(true, false, true);
        assertThat(MissingPattern.FULL.code()).isEqualTo("l,a,v");
        assertThat(MissingPattern.PAPER_MISSING_CONDITIONS).extracting(MissingPattern::code)
                .containsExactly("l", "a", "v", "l,a", "l,v", "a,v");
        assertThat(MissingPattern.EVERY_NON_EMPTY).extracting(MissingPattern::code)
                .containsExactly("l,a,v", "l", "a", "v", "l,a", "l,v", "a,v");
    }

    @Test
    void metadataRoundTripsAndChecksCompatibility(@TempDir Path dir) throws Exception {
        ModelMetadata metadata = new ModelMetadata(1, "v1", "full", 3, 8,
                Map.of("text", 100, "audio", 73, "vision", 100),
                Map.of("audio", new ModelMetadata.Normalization(new float[] {1, 2}, new float[] {3, 4})),
                "synthetic", "2026-01-01T00:00:00Z", Map.of("lr", 0.001), Map.of("f1", 0.8));
        metadata.write(dir);
        ModelMetadata read = ModelMetadata.read(dir);
        assertThat(read.modelVersion()).isEqualTo("v1");
        assertThat(read.dimensionsInOrder()).containsExactly(100, 73, 100);
        assertThat(read.normalization().get("audio").std()).containsExactly(3f, 4f);
        assertThat(read.hyperparameters()).containsEntry("lr", 0.001);

        read.requireCompatible(dir, 8, new int[] {100, 73, 100});
        read.requireCompatible(dir, 0, null);
        assertThatThrownBy(() -> read.requireCompatible(dir, 8, new int[] {100, 74, 100}))
                .isInstanceOf(ModelContractException.class)
                .hasMessageContaining("audio: model has d=73, configured d=74");
    }

    @Test
    void metadataWithoutDimensionsOrStepsIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(TensorContract.METADATA_FILE),
                "{\"formatVersion\":1,\"modelVersion\":\"x\",\"steps\":4,\"dimensions\":{\"text\":3}}");
        assertThatThrownBy(() -> ModelMetadata.read(dir)).isInstanceOf(ModelContractException.class)
                .hasMessageContaining("audio");
        Files.writeString(dir.resolve(TensorContract.METADATA_FILE),
                "{\"formatVersion\":3,\"modelVersion\":\"x\",\"steps\":4,\"dimensions\":{}}");
        assertThatThrownBy(() -> ModelMetadata.read(dir)).hasMessageContaining("format version 3");
        Files.writeString(dir.resolve(TensorContract.METADATA_FILE), "{not json");
        assertThatThrownBy(() -> ModelMetadata.read(dir)).hasMessageContaining("cannot read model metadata");
    }

    /** The metadata every model wrote before context existed: it must keep loading, as a model without context. */
    private static final String FORMAT_1 = """
            {"formatVersion":1,"modelVersion":"old","variant":"full","seed":3,"steps":8,
             "dimensions":{"text":100,"audio":73,"vision":100},"normalization":{},"trainingData":"mosi",
             "createdAt":"2026-01-01T00:00:00Z","hyperparameters":{"lr":0.001},"validationMetrics":{}}""";

    @Test
    void formatOneMetadataStillReadsAsAModelWithoutContextAndIsWrittenUnchanged(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(TensorContract.METADATA_FILE), FORMAT_1);
        ModelMetadata read = ModelMetadata.read(dir);
        assertThat(read.formatVersion()).isEqualTo(ModelMetadata.FORMAT_VERSION).isEqualTo(1);
        assertThat(read.hasContext()).isFalse();
        assertThat(read.context()).isNull();
        assertThat(read.dimensionsInOrder()).containsExactly(100, 73, 100);

        // what a model without context writes today is still format 1 without a context key, so an
        // earlier build reads it too
        read.write(dir);
        String written = Files.readString(dir.resolve(TensorContract.METADATA_FILE));
        assertThat(written).contains("\"formatVersion\" : 1").doesNotContain("context");
    }

    @Test
    void contextMetadataRoundTripsAsFormatTwoWithItsNamesKAndDimension(@TempDir Path dir) throws Exception {
        ModelMetadata plain = ModelMetadata.json().readValue(FORMAT_1, ModelMetadata.class);
        ModelMetadata withContext = plain.withContext(ContextSpec.of(6, 16));
        assertThat(withContext.formatVersion()).isEqualTo(ModelMetadata.CONTEXT_FORMAT_VERSION).isEqualTo(2);
        withContext.write(dir);
        String written = Files.readString(dir.resolve(TensorContract.METADATA_FILE));
        assertThat(written).contains("\"formatVersion\" : 2", "\"windows\" : 6", "\"dimension\" : 16",
                "\"contextInput\" : \"context\"", "\"contextMaskInput\" : \"context_mask\"",
                "\"representationOutput\" : \"representation\"");

        ModelMetadata read = ModelMetadata.read(dir);
        assertThat(read.hasContext()).isTrue();
        assertThat(read.context()).isEqualTo(new ContextSpec(6, 16, "context", "context_mask", "representation"));
        assertThat(read.steps()).isEqualTo(8);
        assertThat(read.dimensionsInOrder()).containsExactly(100, 73, 100);
    }

    @Test
    void contextAndFormatVersionMustAgreeAndTheDeclarationMustBeUsable(@TempDir Path dir) throws Exception {
        String base = "\"modelVersion\":\"x\",\"steps\":4,\"dimensions\":{\"text\":3,\"audio\":2,\"vision\":2}";
        String context = "\"context\":{\"windows\":4,\"dimension\":8,\"contextInput\":\"context\","
                + "\"contextMaskInput\":\"context_mask\",\"representationOutput\":\"representation\"}";
        // format 1 with a context key: a build before context would ignore the key and feed no context
        Files.writeString(dir.resolve(TensorContract.METADATA_FILE), "{\"formatVersion\":1," + base + "," + context + "}");
        assertThatThrownBy(() -> ModelMetadata.read(dir)).isInstanceOf(ModelContractException.class)
                .hasMessageContaining("must say format version 2");
        Files.writeString(dir.resolve(TensorContract.METADATA_FILE), "{\"formatVersion\":2," + base + "}");
        assertThatThrownBy(() -> ModelMetadata.read(dir)).isInstanceOf(ModelContractException.class)
                .hasMessageContaining("no 'context'");
        Files.writeString(dir.resolve(TensorContract.METADATA_FILE), "{\"formatVersion\":2," + base + ","
                + context.replace("\"windows\":4", "\"windows\":0").replace("\"context_mask\"", "\"audio_mask\"") + "}");
        assertThatThrownBy(() -> ModelMetadata.read(dir)).isInstanceOf(ModelContractException.class)
                .hasMessageContaining("context.windows (K) must be positive, is 0")
                .hasMessageContaining("clash with the modality inputs");
        Files.writeString(dir.resolve(TensorContract.METADATA_FILE), "{\"formatVersion\":2," + base + ","
                + context.replace("\"representation\"", "\"score\"") + "}");
        assertThatThrownBy(() -> ModelMetadata.read(dir)).hasMessageContaining("not 'score'");
        Files.writeString(dir.resolve(TensorContract.METADATA_FILE), "{\"formatVersion\":2," + base + ","
                + context.replace(",\"representationOutput\":\"representation\"", "") + "}");
        assertThatThrownBy(() -> ModelMetadata.read(dir)).hasMessageContaining("one is missing");
    }
}
