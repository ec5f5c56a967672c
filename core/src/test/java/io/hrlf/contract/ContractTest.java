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
        assertThat(MissingPattern.of(new boolean[] {true, true, true})).isEqualTo("l,a,v");
        assertThat(MissingPattern.of(new boolean[] {true, false, true})).isEqualTo("l,v");
        assertThat(MissingPattern.of(new boolean[] {false, true, false})).isEqualTo("a");
        assertThat(MissingPattern.of(new boolean[] {false, false, false})).isEmpty();
        for (String pattern : MissingPattern.allNonEmpty()) {
            assertThat(MissingPattern.of(MissingPattern.parse(pattern))).isEqualTo(pattern);
        }
        assertThat(MissingPattern.allNonEmpty()).hasSize(7).doesNotHaveDuplicates();
        assertThatThrownBy(() -> MissingPattern.parse("l,x")).hasMessageContaining("'x'");
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
