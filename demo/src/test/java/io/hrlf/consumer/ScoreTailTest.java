package io.hrlf.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrlf.avro.Modality;
import io.hrlf.avro.ModalityPresence;
import io.hrlf.avro.Polarity;
import io.hrlf.avro.SentimentScore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreTailTest {
    private static final SentimentScore SCORE = SentimentScore.newBuilder()
            .setCallId("c1").setParticipantId("p1")
            .setWindowStartMillis(Instant.ofEpochMilli(5000)).setWindowEndMillis(Instant.ofEpochMilli(10000))
            .setScore(-1.25f).setPolarity(Polarity.NEGATIVE)
            .setModalities(List.of(new ModalityPresence(Modality.TEXT, true, 1f, 4),
                    new ModalityPresence(Modality.AUDIO, false, 0f, 0), new ModalityPresence(Modality.VISION, true, 0.5f, 2)))
            .setMissingPattern("l,v").setModelVersion("m1").setRevision(1)
            .setEmitTimestampMillis(Instant.ofEpochMilli(10500)).build();

    private static String print(boolean json) throws Exception {
        ScoreTail tail = new ScoreTail();
        tail.json = json;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tail.print(SCORE, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsAReadableLine() throws Exception {
        assertThat(print(false)).startsWith("c1/p1 [").contains("-1.25 NEGATIVE present l,v rev 1 model m1");
    }

    @Test
    void printsOneJsonObjectPerLine() throws Exception {
        String line = print(true);
        assertThat(line).endsWith(System.lineSeparator()).doesNotContain("\n{");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("score").floatValue()).isEqualTo(-1.25f);
        assertThat(json.get("windowEnd").asLong()).isEqualTo(10000);
        assertThat(json.get("missingPattern").asText()).isEqualTo("l,v");
        assertThat(json.get("modalities").get("audio").get("present").asBoolean()).isFalse();
        assertThat(json.get("modalities").get("vision").get("completeness").floatValue()).isEqualTo(0.5f);
    }
}
