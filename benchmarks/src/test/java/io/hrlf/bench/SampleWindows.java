package io.hrlf.bench;

import io.hrlf.contract.Modality;
import io.hrlf.window.AssembledWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Assembled windows with every modality mostly present, as the scorer receives them from the assembler. */
final class SampleWindows {
    private SampleWindows() {}

    static List<AssembledWindow> random(int count, int steps, int[] dims, long seed) {
        Random random = new Random(seed);
        List<AssembledWindow> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            AssembledWindow w = new AssembledWindow();
            w.callId = "call-" + (i / 4);
            w.participantId = "p" + i;
            w.windowStartMillis = 5_000L * i;
            w.windowEndMillis = w.windowStartMillis + 5_000;
            w.values = new float[3][];
            w.masks = new float[3][];
            w.frames = new int[3];
            w.completeness = new float[3];
            w.firedAtMillis = System.currentTimeMillis();
            for (Modality m : Modality.ALL) {
                int d = dims[m.ordinal()];
                w.values[m.ordinal()] = new float[steps * d];
                w.masks[m.ordinal()] = new float[steps];
                for (int t = 0; t < steps; t++) {
                    if (random.nextFloat() < 0.9f) {
                        w.masks[m.ordinal()][t] = 1f;
                        w.frames[m.ordinal()]++;
                        for (int j = 0; j < d; j++) {
                            w.values[m.ordinal()][t * d + j] = (float) random.nextGaussian();
                        }
                    }
                }
                w.completeness[m.ordinal()] = w.frames[m.ordinal()] / (float) steps;
            }
            out.add(w);
        }
        return out;
    }
}
