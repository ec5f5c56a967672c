package io.hrlf.window;

import io.hrlf.binning.BinAccumulator;
import io.hrlf.contract.Modality;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link WindowState}. Every record carries its own T and dimensions, so the
 * serializer has no configuration and a model with another T can restore old state (its windows
 * simply close with the old shape). Layout, version 1:
 *
 * <pre>
 *   fired: boolean, revision: int,
 *   3 x { steps: int, dimension: int, frames: int, sums: float[steps*dimension], counts: int[steps] }
 * </pre>
 */
public final class WindowStateSerializer extends TypeSerializer<WindowState> {
    public static final WindowStateSerializer INSTANCE = new WindowStateSerializer();

    private WindowStateSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<WindowState> duplicate() {
        return this; // stateless
    }

    @Override
    public WindowState createInstance() {
        return new WindowState(1, new int[] {1, 1, 1});
    }

    @Override
    public WindowState copy(WindowState from) {
        return from.copy();
    }

    @Override
    public WindowState copy(WindowState from, WindowState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(WindowState state, DataOutputView out) throws IOException {
        out.writeBoolean(state.fired());
        out.writeInt(state.revision());
        for (BinAccumulator acc : state.accumulators()) {
            out.writeInt(acc.steps());
            out.writeInt(acc.dimension());
            out.writeInt(acc.frames());
            for (float sum : acc.rawSums()) {
                out.writeFloat(sum);
            }
            for (int count : acc.rawCounts()) {
                out.writeInt(count);
            }
        }
    }

    @Override
    public WindowState deserialize(DataInputView in) throws IOException {
        boolean fired = in.readBoolean();
        int revision = in.readInt();
        BinAccumulator[] accumulators = new BinAccumulator[Modality.ALL.size()];
        for (int m = 0; m < accumulators.length; m++) {
            int steps = in.readInt();
            int dimension = in.readInt();
            int frames = in.readInt();
            float[] sums = new float[steps * dimension];
            for (int i = 0; i < sums.length; i++) {
                sums[i] = in.readFloat();
            }
            int[] counts = new int[steps];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = in.readInt();
            }
            accumulators[m] = new BinAccumulator(steps, dimension, sums, counts, frames);
        }
        return new WindowState(accumulators, fired, revision);
    }

    @Override
    public WindowState deserialize(WindowState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof WindowStateSerializer;
    }

    @Override
    public int hashCode() {
        return WindowStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<WindowState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration; the snapshot only pins its identity and version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<WindowState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
