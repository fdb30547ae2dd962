package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** How the DynamoDB event source delivers a batch, as Lambda's event source mapping does. */
class StreamPollersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<List<String>> invocations = new ArrayList<>();
  private final List<JsonNode> onFailure = new ArrayList<>();

  private static List<StreamPollers.StreamedRecord> records(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> {
      ObjectNode json = JSON.createObjectNode();
      json.putObject("dynamodb").put("SequenceNumber", String.valueOf(i));
      return new StreamPollers.StreamedRecord(String.valueOf(i), json, Instant.EPOCH);
    }).toList();
  }

  private static Template.StreamEvent source(boolean partial, boolean bisect, int retries) {
    return new Template.StreamEvent("F", "Changes", "TRIM_HORIZON", 10, 0, partial, bisect, retries, "Dlq");
  }

  /** A poller whose function answers {@code answer(sequence numbers of the batch)}: null = throw. */
  private StreamPollers poller(Function<List<String>, String> answer) {
    QueuePollers.Log log = new QueuePollers.Log() {
      @Override
      public void batch(Map<String, Object> line) {}

      @Override
      public void failure(String functionId, String requestId, Exception e) {}
    };
    return new StreamPollers(null, "us-east-1", log, (source, event, requestId) -> {
      List<String> seqs = new ArrayList<>();
      JSON.readTree(event).path("Records").forEach(r -> seqs.add(r.path("dynamodb").path("SequenceNumber").asText()));
      invocations.add(seqs);
      String out = answer.apply(seqs);
      if (out == null) throw new IllegalStateException("boom");
      return out.getBytes(StandardCharsets.UTF_8);
    }) {
      @Override
      void sendOnFailureRecord(String queueId, byte[] record) {
        try {
          onFailure.add(JSON.readTree(record));
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  private static String failures(String... seqs) {
    StringBuilder b = new StringBuilder("{\"batchItemFailures\":[");
    for (int i = 0; i < seqs.length; i++) b.append(i == 0 ? "" : ",").append("{\"itemIdentifier\":\"").append(seqs[i]).append("\"}");
    return b.append("]}").toString();
  }

  @Test
  void aSuccessfulBatchIsDeliveredOnceInOrder() {
    poller(seqs -> "").deliver(source(true, true, 2), "arn", "shard", records(3));
    assertEquals(List.of(List.of("1", "2", "3")), invocations);
    assertTrue(onFailure.isEmpty());
  }

  @Test
  void thePartialBatchResponseRetriesFromTheLowestFailedRecord() {
    List<String> failing = new ArrayList<>(List.of("3"));
    poller(seqs -> seqs.containsAll(failing) && !failing.isEmpty() ? failures(failing.remove(0)) : "")
        .deliver(source(true, false, 2), "arn", "shard", records(4));
    assertEquals(List.of(List.of("1", "2", "3", "4"), List.of("3", "4")), invocations, "1 and 2 are checkpointed; 3 and 4 retried");
  }

  @Test
  void aPoisonRecordIsIsolatedByBisectionAndSentToTheOnFailureDestinationWhileTheOthersAreProcessed() {
    poller(seqs -> seqs.contains("3") ? failures("3") : "").deliver(source(true, true, 2), "arn", "shard", records(5));
    // [1..5] fails from 3 -> [3,4,5] bisected -> [3] fails (retried twice) -> skipped; [4,5] succeed.
    assertEquals(List.of(List.of("1", "2", "3", "4", "5"), List.of("3"), List.of("3"), List.of("3"), List.of("4", "5")), invocations);
    assertEquals(1, onFailure.size());
    JsonNode info = onFailure.get(0).path("DDBStreamBatchInfo");
    assertEquals("3", info.path("startSequenceNumber").asText());
    assertEquals("3", info.path("endSequenceNumber").asText());
    assertEquals(1, info.path("batchSize").asInt());
    assertEquals("RetryAttemptsExhausted", onFailure.get(0).path("requestContext").path("condition").asText());
    assertEquals(3, onFailure.get(0).path("requestContext").path("approximateInvokeCount").asInt());
  }

  @Test
  void aFunctionErrorWithoutBisectionRetriesTheWholeBatchThenSkipsIt() {
    poller(seqs -> null).deliver(source(false, false, 1), "arn", "shard", records(2));
    assertEquals(List.of(List.of("1", "2"), List.of("1", "2")), invocations);
    assertEquals(1, onFailure.size());
    assertEquals("Unhandled", onFailure.get(0).path("responseContext").path("functionError").asText());
    assertEquals(2, onFailure.get(0).path("DDBStreamBatchInfo").path("batchSize").asInt());
  }

  @Test
  void anAnswerNamingARecordNotInTheBatchFailsTheWholeBatch() {
    List<StreamPollers.StreamedRecord> batch = records(3);
    assertEquals(0, StreamPollers.failedFrom(failures("9").getBytes(StandardCharsets.UTF_8), batch));
    assertEquals(0, StreamPollers.failedFrom("not json".getBytes(StandardCharsets.UTF_8), batch));
    assertEquals(1, StreamPollers.failedFrom(failures("3", "2").getBytes(StandardCharsets.UTF_8), batch));
    assertEquals(-1, StreamPollers.failedFrom("{\"batchItemFailures\":[]}".getBytes(StandardCharsets.UTF_8), batch));
    assertEquals(-1, StreamPollers.failedFrom(new byte[0], batch));
  }

  @Test
  void theRedeliverKnobDeliversEveryBatchTwice() {
    StreamPollers p = poller(seqs -> "");
    p.redeliver.set(true);
    p.deliver(source(true, true, 2), "arn", "shard", records(2));
    assertEquals(List.of(List.of("1", "2"), List.of("1", "2")), invocations);
  }

  @Test
  void imagesAreDynamoDbJson() {
    JsonNode image = StreamPollers.image(Map.of("PK", AttributeValue.fromS("ORG#1"), "n", AttributeValue.fromN("5"),
        "m", AttributeValue.fromM(Map.of("ok", AttributeValue.fromBool(true))), "ss", AttributeValue.fromSs(List.of("a")),
        "empty", AttributeValue.fromL(List.of())));
    assertTrue(image.path("empty").path("L").isArray(), "an empty list is {\"L\": []}: " + image);
    assertEquals("ORG#1", image.path("PK").path("S").asText());
    assertEquals("5", image.path("n").path("N").asText());
    assertTrue(image.path("m").path("M").path("ok").path("BOOL").asBoolean());
    assertEquals(Set.of("a"), Set.of(image.path("ss").path("SS").get(0).asText()));
  }
}
