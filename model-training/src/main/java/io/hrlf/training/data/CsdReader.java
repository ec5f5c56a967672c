package io.hrlf.training.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads CMU-MultimodalSDK computational sequences ({@code .csd}, HDF5) with jhdf: one root group
 * holding {@code data/<video>/features} (n, d), {@code data/<video>/intervals} (n, 2) in seconds
 * and {@code metadata/<key>} strings. Fails with the file and the path of whatever is missing.
 */
public final class CsdReader {
    private CsdReader() {}

    public static ComputationalSequence read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no computational sequence file at " + file);
        }
        try (HdfFile hdf = new HdfFile(file)) {
            if (hdf.getChildren().size() != 1) {
                throw new IllegalArgumentException(file + ": expected one root group, found " + hdf.getChildren().keySet());
            }
            Node rootNode = hdf.getChildren().values().iterator().next();
            if (!(rootNode instanceof Group root)) {
                throw new IllegalArgumentException(file + ": root '" + rootNode.getName() + "' is not a group");
            }
            Node dataNode = root.getChild("data");
            if (!(dataNode instanceof Group data)) {
                throw new IllegalArgumentException(file + ": no group '" + root.getName() + "/data'");
            }
            Map<String, ComputationalSequence.Entry> videos = new TreeMap<>();
            for (Map.Entry<String, Node> video : data.getChildren().entrySet()) {
                String where = root.getName() + "/data/" + video.getKey();
                if (!(video.getValue() instanceof Group group)) {
                    throw new IllegalArgumentException(file + ": '" + where + "' is not a group");
                }
                float[][] features = toFloat2d(file, where + "/features", dataset(file, group, "features", where));
                double[][] intervals = toDouble2d(file, where + "/intervals", dataset(file, group, "intervals", where));
                if (intervals.length != features.length || (intervals.length > 0 && intervals[0].length != 2)) {
                    throw new IllegalArgumentException(file + ": '" + where + "' has " + features.length
                            + " feature rows but intervals of shape " + intervals.length + "x"
                            + (intervals.length > 0 ? intervals[0].length : 0));
                }
                videos.put(video.getKey(), new ComputationalSequence.Entry(intervals, features));
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            if (root.getChild("metadata") instanceof Group meta) {
                for (Map.Entry<String, Node> entry : meta.getChildren().entrySet()) {
                    if (entry.getValue() instanceof Dataset ds) {
                        metadata.put(entry.getKey(), flattenString(ds.getData()));
                    }
                }
            }
            return new ComputationalSequence(root.getName(), videos, metadata);
        }
    }

    private static Dataset dataset(Path file, Group group, String name, String where) {
        Node node = group.getChild(name);
        if (!(node instanceof Dataset ds)) {
            throw new IllegalArgumentException(file + ": no dataset '" + where + "/" + name + "'");
        }
        return ds;
    }

    private static float[][] toFloat2d(Path file, String where, Dataset ds) {
        Object data = ds.getData();
        if (data instanceof float[][] f) {
            return f;
        }
        if (data instanceof double[][] d) {
            float[][] out = new float[d.length][];
            for (int i = 0; i < d.length; i++) {
                out[i] = new float[d[i].length];
                for (int j = 0; j < d[i].length; j++) {
                    out[i][j] = (float) d[i][j];
                }
            }
            return out;
        }
        throw new IllegalArgumentException(file + ": '" + where + "' is not a 2-D float array but " + ds.getJavaType()
                + " of shape " + java.util.Arrays.toString(ds.getDimensions()));
    }

    private static double[][] toDouble2d(Path file, String where, Dataset ds) {
        Object data = ds.getData();
        if (data instanceof double[][] d) {
            return d;
        }
        if (data instanceof float[][] f) {
            double[][] out = new double[f.length][];
            for (int i = 0; i < f.length; i++) {
                out[i] = new double[f[i].length];
                for (int j = 0; j < f[i].length; j++) {
                    out[i][j] = f[i][j];
                }
            }
            return out;
        }
        throw new IllegalArgumentException(file + ": '" + where + "' is not a 2-D numeric array but " + ds.getJavaType());
    }

    private static String flattenString(Object data) {
        if (data instanceof String s) {
            return s;
        }
        if (data != null && data.getClass().isArray() && Array.getLength(data) > 0) {
            return flattenString(Array.get(data, 0));
        }
        return String.valueOf(data);
    }
}
