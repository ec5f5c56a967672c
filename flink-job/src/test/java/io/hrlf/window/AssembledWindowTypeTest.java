package io.hrlf.window;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The records between operators travel as Flink POJOs, not through Kryo. */
class AssembledWindowTypeTest {

    @Test
    void assembledWindowAndLateFramesArePojos() {
        assertThat(TypeInformation.of(AssembledWindow.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(LateFrames.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void anAssembledWindowSurvivesItsSerializer() throws Exception {
        AssembledWindow w = new AssembledWindow();
        w.callId = "c";
        w.participantId = "p";
        w.windowStartMillis = 5000;
        w.windowEndMillis = 10000;
        w.revision = 2;
        w.values = new float[][] {{1, 2}, {3}, {0}};
        w.masks = new float[][] {{1, 0}, {1, 1}, {0, 0}};
        w.frames = new int[] {4, 2, 0};
        w.completeness = new float[] {0.5f, 1f, 0f};
        w.firedAtMillis = 123;

        TypeSerializer<AssembledWindow> serializer =
                TypeInformation.of(AssembledWindow.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(w, out);
        AssembledWindow back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back).usingRecursiveComparison().isEqualTo(w);
        assertThat(back.missingPattern().code()).isEqualTo("l,a");

        // the context scorer keeps windows past the call that delivered them by this copy: it must be deep
        AssembledWindow copy = serializer.copy(w);
        assertThat(copy).usingRecursiveComparison().isEqualTo(w);
        w.values[0][0] = 42;
        w.masks[1][0] = 0;
        w.frames[0] = 9;
        w.completeness[0] = 0;
        assertThat(copy.values[0][0]).isEqualTo(1f);
        assertThat(copy.masks[1][0]).isEqualTo(1f);
        assertThat(copy.frames[0]).isEqualTo(4);
        assertThat(copy.completeness[0]).isEqualTo(0.5f);
    }
}
