package io.hrlf.training.chart;

import io.hrlf.contract.MissingPattern;
import io.hrlf.eval.SentimentMetrics;
import io.hrlf.training.eval.EvaluationReport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A PNG of robustness: left, F1 against the frame-missing rate (one line per model); right, F1 per
 * modality condition (grouped bars). Plain Java2D, headless, no chart library.
 */
public final class RobustnessChart {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 480;
    private static final int MARGIN = 60;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f)};

    private RobustnessChart() {}

    /** @param reports one report per model, in legend order (e.g. the mean over seeds of each variant) */
    public static void write(Map<String, EvaluationReport> reports, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int panel = (WIDTH - 3 * MARGIN) / 2;
        double minF1 = Math.max(0, Math.floor(10 * lowest(reports)) / 10);

        // left: F1 vs frame-missing rate, starting at the complete condition (rate 0)
        drawAxes(g, MARGIN, panel, minF1, "F1 vs frame-missing rate");
        List<String> names = new ArrayList<>(reports.keySet());
        for (int k = 0; k < names.size(); k++) {
            EvaluationReport r = reports.get(names.get(k));
            List<double[]> points = new ArrayList<>();
            points.add(new double[] {0, r.conditions().get(MissingPattern.FULL.code()).f1()});
            r.frameMissing().forEach((rate, m) -> points.add(new double[] {Double.parseDouble(rate), m.f1()}));
            g.setColor(PALETTE[k % PALETTE.length]);
            g.setStroke(new BasicStroke(2f));
            for (int i = 1; i < points.size(); i++) {
                g.drawLine(x(MARGIN, panel, points.get(i - 1)[0]), y(minF1, points.get(i - 1)[1]),
                        x(MARGIN, panel, points.get(i)[0]), y(minF1, points.get(i)[1]));
            }
            g.fillRect(MARGIN + 10, MARGIN + 8 + 16 * k, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(names.get(k), MARGIN + 28, MARGIN + 19 + 16 * k);
        }
        g.setColor(Color.DARK_GRAY);
        for (int i = 0; i <= 10; i += 2) {
            g.drawString(String.valueOf(i / 10.0), x(MARGIN, panel, i / 10.0) - 8, HEIGHT - MARGIN + 16);
        }

        // right: F1 per condition
        int left = 2 * MARGIN + panel;
        // bars start at 0: a truncated axis would exaggerate the differences between conditions
        drawAxes(g, left, panel, 0, "F1 per condition (present modalities)");
        List<String> conditions = MissingPattern.EVERY_NON_EMPTY.stream().map(MissingPattern::code).toList();
        int group = panel / conditions.size();
        int bar = Math.max(2, (group - 8) / Math.max(1, names.size()));
        for (int c = 0; c < conditions.size(); c++) {
            for (int k = 0; k < names.size(); k++) {
                double f1 = reports.get(names.get(k)).conditions().get(conditions.get(c)).f1();
                int top = y(0, f1);
                g.setColor(PALETTE[k % PALETTE.length]);
                g.fillRect(left + c * group + 4 + k * bar, top, bar - 1, HEIGHT - MARGIN - top);
            }
            g.setColor(Color.BLACK);
            g.drawString(conditions.get(c), left + c * group + group / 2 - 10, HEIGHT - MARGIN + 16);
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static double lowest(Map<String, EvaluationReport> reports) {
        double low = 1;
        for (EvaluationReport r : reports.values()) {
            for (SentimentMetrics.Metrics m : r.conditions().values()) {
                low = Math.min(low, m.f1());
            }
            for (SentimentMetrics.Metrics m : r.frameMissing().values()) {
                low = Math.min(low, m.f1());
            }
        }
        return low;
    }

    private static void drawAxes(Graphics2D g, int left, int width, double minF1, String title) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawLine(left, HEIGHT - MARGIN, left + width, HEIGHT - MARGIN);
        g.drawLine(left, MARGIN, left, HEIGHT - MARGIN);
        g.drawString(title, left + width / 2 - 90, MARGIN - 20);
        for (double f1 = minF1; f1 <= 1.0001; f1 += 0.1) {
            int y = y(minF1, f1);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, y, left + width, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(java.util.Locale.ROOT, "%.1f", f1), left - 28, y + 4);
        }
    }

    private static int x(int left, int width, double rate) {
        return left + (int) Math.round(rate * width);
    }

    private static int y(double minF1, double f1) {
        double span = 1.0 - minF1;
        return HEIGHT - MARGIN - (int) Math.round((f1 - minF1) / span * (HEIGHT - 2 * MARGIN));
    }
}
