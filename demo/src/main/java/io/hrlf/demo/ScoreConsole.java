package io.hrlf.demo;

import io.hrlf.avro.ModalityPresence;
import io.hrlf.avro.SentimentScore;
import io.hrlf.contract.ParticipantKey;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Prints each score as a readable line and keeps the counts for the closing summary line. */
final class ScoreConsole {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintStream out;
    private final Map<String, SimulatedParticipant> participants = new HashMap<>();
    private final Map<String, String> notes = new HashMap<>();
    private final Map<String, Integer> patterns = new TreeMap<>();
    private final Set<String> seen = new TreeSet<>();
    private int windows;

    ScoreConsole(PrintStream out) {
        this.out = out;
    }

    void register(SimulatedParticipant participant, String note) {
        participants.put(participant.key(), participant);
        notes.put(participant.key(), note);
    }

    void show(SentimentScore score) {
        String key = new ParticipantKey(score.getCallId(), score.getParticipantId()).toString();
        long start = score.getWindowStartMillis().toEpochMilli();
        long end = score.getWindowEndMillis().toEpochMilli();
        StringBuilder presence = new StringBuilder();
        for (ModalityPresence p : score.getModalities()) {
            presence.append(String.format(Locale.ROOT, " %s %3.0f%%", p.getModality().name().toLowerCase(Locale.ROOT),
                    100 * p.getCompleteness()));
        }
        SimulatedParticipant who = participants.get(key);
        String truth = who == null ? "" : String.format(Locale.ROOT, " (simulated truth %+.2f)",
                who.trueSentiment((start + end) / 2));
        String pattern = score.getMissingPattern().isEmpty() ? "none" : score.getMissingPattern();
        out.printf(Locale.ROOT, "%s-%s %-14s score %+.2f %-8s%s%s  present: %-6s |%s  %s%n",
                TIME.format(Instant.ofEpochMilli(start)), TIME.format(Instant.ofEpochMilli(end)), key,
                score.getScore(), score.getPolarity(), score.getRevision() > 0 ? " rev " + score.getRevision() : "",
                truth, pattern, presence, notes.getOrDefault(key, ""));
        windows++;
        seen.add(key);
        patterns.merge(pattern, 1, Integer::sum);
    }

    String summary() {
        StringBuilder line = new StringBuilder("demo summary: windows=").append(windows)
                .append(" participants=").append(seen.size()).append(" patterns=");
        StringBuilder counts = new StringBuilder();
        patterns.forEach((pattern, count) -> counts.append(counts.isEmpty() ? "" : ",")
                .append('{').append(pattern).append("}:").append(count));
        return line.append(counts).toString();
    }
}
