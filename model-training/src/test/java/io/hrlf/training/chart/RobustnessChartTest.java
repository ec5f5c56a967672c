package io.hrlf.training.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.hrlf.training.data.MultimodalDataset;
import io.hrlf.training.data.SyntheticDataset;
import io.hrlf.training.eval.EvaluationReport;
import io.hrlf.training.eval.Evaluator;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RobustnessChartTest {

    @Test
    void drawsADecodablePngWithEveryModelsColour(@TempDir Path dir) throws Exception {
        MultimodalDataset data = SyntheticDataset.generate(100, 2, new int[] {3, 2, 2}, 1);
        Map<String, EvaluationReport> reports = new LinkedHashMap<>();
        reports.put("oracle", Evaluator.evaluate(d -> d.labels().clone(), data, 1));
        reports.put("constant", Evaluator.evaluate(d -> new float[d.size()], data, 1));
        reports.put("mean", EvaluationReport.mean(java.util.List.copyOf(reports.values())));
        Path png = dir.resolve("chart.png");
        RobustnessChart.write(reports, png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(480);
        boolean blue = false;
        boolean red = false;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                blue |= rgb == 0x1f77b4;
                red |= rgb == 0xd62728;
            }
        }
        assertThat(blue).as("first model drawn").isTrue();
        assertThat(red).as("second model drawn").isTrue();
    }
}
