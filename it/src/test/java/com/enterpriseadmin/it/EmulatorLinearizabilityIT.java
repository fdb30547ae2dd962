package com.enterpriseadmin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The DynamoDB emulator must be linearizable before any concurrency test of ours can rely on it:
 * moto checks a condition and writes in two steps, so only our one-request-at-a-time launcher
 * (tools/moto_server.py) keeps two concurrent conditional writes from both passing.
 */
class EmulatorLinearizabilityIT {

  private static final int THREADS = 16;
  private static final int ATTEMPTS = 96;
  private static final int CAP = 40;

  private final TestStack stack = TestStack.get();
  private final DynamoDbClient dynamo = stack.dynamo();

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue n(int v) {
    return AttributeValue.fromN(Integer.toString(v));
  }

  private Map<String, AttributeValue> counterKey(String pk) {
    return Map.of("PK", s(pk), "SK", s("COUNTER"));
  }

  private String newCounter() {
    String pk = "LINEARIZABILITY#" + UUID.randomUUID();
    dynamo.putItem(b -> b.tableName(stack.tableName).item(Map.of("PK", s(pk), "SK", s("COUNTER"), "n", n(0))));
    return pk;
  }

  private int counter(String pk) {
    return Integer.parseInt(dynamo.getItem(b -> b.tableName(stack.tableName).key(counterKey(pk)).consistentRead(true)).item().get("n").n());
  }

  /** Runs {@code attempt} ATTEMPTS times from THREADS threads released together; counts the true results. */
  private static int hammer(Callable<Boolean> attempt) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    try {
      for (int i = 0; i < ATTEMPTS; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return attempt.call();
        }));
      }
      go.countDown();
      int ok = 0;
      for (Future<Boolean> f : results) if (f.get()) ok++;
      return ok;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentConditionalUpdatesNeverPassTheCap() throws Exception {
    String pk = newCounter();
    AtomicInteger refused = new AtomicInteger();
    int succeeded = hammer(() -> {
      try {
        dynamo.updateItem(b -> b.tableName(stack.tableName).key(counterKey(pk))
            .updateExpression("SET n = n + :one").conditionExpression("n < :cap")
            .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(CAP))));
        return true;
      } catch (ConditionalCheckFailedException e) {
        refused.incrementAndGet();
        return false;
      }
    });
    assertEquals(CAP, succeeded, "exactly cap conditional updates succeed");
    assertEquals(ATTEMPTS - CAP, refused.get(), "every other one fails its condition");
    assertEquals(CAP, counter(pk));
  }

  @Test
  void concurrentConditionalTransactionsNeverPassTheCap() throws Exception {
    String pk = newCounter();
    AtomicInteger attempt = new AtomicInteger();
    int succeeded = hammer(() -> {
      String entry = "ENTRY#" + attempt.incrementAndGet();
      try {
        dynamo.transactWriteItems(b -> b.transactItems(
            TransactWriteItem.builder().update(Update.builder().tableName(stack.tableName).key(counterKey(pk))
                .updateExpression("SET n = n + :one").conditionExpression("n < :cap")
                .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(CAP))).build()).build(),
            TransactWriteItem.builder().put(Put.builder().tableName(stack.tableName)
                .item(Map.of("PK", s(pk), "SK", s(entry))).conditionExpression("attribute_not_exists(PK)").build()).build()));
        return true;
      } catch (TransactionCanceledException e) {
        return false;
      }
    });
    assertEquals(CAP, succeeded, "exactly cap transactions succeed");
    assertEquals(CAP, counter(pk));
    int entries = dynamo.query(b -> b.tableName(stack.tableName).keyConditionExpression("PK = :pk AND begins_with(SK, :e)")
        .expressionAttributeValues(Map.of(":pk", s(pk), ":e", s("ENTRY#"))).consistentRead(true)).count();
    assertEquals(CAP, entries, "a cancelled transaction writes nothing");
  }
}
