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
    @SuppressWarnings("deprecation")
    void theStaticApiModelTrainingUsesStillGivesTheSameStrings() {
        assertThat(MissingPattern.of(new boolean[] {false, true, true})).isEqualTo("a,v");
        assertThat(MissingPattern.parse("l,v")).containsExactly(true, false, true);
        assertThat(MissingPattern.COMPLETE).isEqualTo("l,a,v");
        assertThat(MissingPattern.PAPER_CONDITIONS).containsExactly("l", "a", "v", "l,a", "l,v", "a,v");
        assertThat(MissingPattern.allNonEmpty()).containsExactly("l,a,v", "l", "a", "v", "l,a", "l,v", "a,v");
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
                "{\"formatVersion\":2,\"modelVersion\":\"x\",\"steps\":4,\"dimensions\":{}}");
        assertThatThrownBy(() -> ModelMetadata.read(dir)).hasMessageContaining("format version 2");
        Files.writeString(dir.resolve(TensorContract.METADATA_FILE), "{not json");
        assertThatThrownBy(() -> ModelMetadata.read(dir)).hasMessageContaining("cannot read model metadata");
    }
}
