package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** What the SQS event source keeps on the queue after an invocation, as Lambda decides it. */
class QueuePollersTest {
  private final List<Message> batch = List.of(Message.builder().messageId("m1").build(), Message.builder().messageId("m2").build());

  private Set<String> kept(String answer) {
    return QueuePollers.failures(answer.getBytes(StandardCharsets.UTF_8), batch);
  }

  @Test
  void onlyTheReportedFailuresStay() {
    assertEquals(Set.of(), kept("{\"batchItemFailures\":[]}"));
    assertEquals(Set.of("m2"), kept("{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"}]}"));
    assertEquals(Set.of(), kept(""), "no answer: the batch succeeded");
    assertEquals(Set.of(), kept("{\"organizations\":3}"), "an answer without batchItemFailures: the batch succeeded");
  }

  @Test
  void anAnswerNamingAMessageNotInTheBatchFailsTheWholeBatch() {
    assertEquals(Set.of("m1", "m2"), kept("{\"batchItemFailures\":[{\"itemIdentifier\":\"elsewhere\"}]}"));
    assertEquals(Set.of("m1", "m2"), kept("{\"batchItemFailures\":[{}]}"));
    assertEquals(Set.of("m1", "m2"), kept("not json"));
  }
}
