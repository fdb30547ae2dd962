package com.enterpriseadmin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Transactions are all-or-nothing in the emulator too. Our launcher replaces moto's whole-table
 * backup with a backup of the items a transaction names (tools/moto_server.py); these tests show a
 * cancelled transaction leaves every item as it was, whichever action refused, and that the
 * cancellation reasons name the refusing action.
 */
class EmulatorTransactionIT {
  private final TestStack stack = TestStack.get();
  private final DynamoDbClient dynamo = stack.dynamo();

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private Map<String, AttributeValue> key(String pk) {
    return Map.of("PK", s(pk), "SK", s("X"));
  }

  private Map<String, AttributeValue> get(String pk) {
    return dynamo.getItem(b -> b.tableName(stack.tableName).key(key(pk)).consistentRead(true)).item();
  }

  private TransactWriteItem put(String pk) {
    return TransactWriteItem.builder().put(Put.builder().tableName(stack.tableName)
        .item(Map.of("PK", s(pk), "SK", s("X"), "v", AttributeValue.fromN("1")))
        .conditionExpression("attribute_not_exists(PK)").build()).build();
  }

  private TransactWriteItem increment(String pk, String condition) {
    Update.Builder u = Update.builder().tableName(stack.tableName).key(key(pk)).updateExpression("SET v = v + :one")
        .expressionAttributeValues(condition == null ? Map.of(":one", AttributeValue.fromN("1"))
            : Map.of(":one", AttributeValue.fromN("1"), ":cap", AttributeValue.fromN("1")));
    if (condition != null) u.conditionExpression(condition);
    return TransactWriteItem.builder().update(u.build()).build();
  }

  @Test
  void aRefusedConditionUndoesEveryEarlierAction() {
    String existing = "TX#" + UUID.randomUUID();
    String fresh = "TX#" + UUID.randomUUID();
    String deleted = "TX#" + UUID.randomUUID();
    dynamo.putItem(b -> b.tableName(stack.tableName).item(Map.of("PK", s(existing), "SK", s("X"), "v", AttributeValue.fromN("1"))));
    dynamo.putItem(b -> b.tableName(stack.tableName).item(Map.of("PK", s(deleted), "SK", s("X"), "v", AttributeValue.fromN("7"))));

    TransactionCanceledException e = assertThrows(TransactionCanceledException.class, () -> dynamo.transactWriteItems(b -> b.transactItems(
        put(fresh),
        increment(existing, null),
        TransactWriteItem.builder().delete(Delete.builder().tableName(stack.tableName).key(key(deleted)).build()).build(),
        increment(existing + "-other", "v < :cap"))));
    assertEquals(List.of("None", "None", "None", "ConditionalCheckFailed"),
        e.cancellationReasons().stream().map(r -> r.code()).toList());

    assertFalse(get(fresh).containsKey("PK"), "the put was undone");
    assertEquals("1", get(existing).get("v").n(), "the update was undone");
    assertEquals("7", get(deleted).get("v").n(), "the delete was undone");
  }

  @Test
  void aValidationErrorInALaterActionUndoesTheEarlierOnes() {
    String fresh = "TX#" + UUID.randomUUID();
    String missing = "TX#" + UUID.randomUUID();
    assertThrows(DynamoDbException.class, () -> dynamo.transactWriteItems(b -> b.transactItems(
        put(fresh),
        // v does not exist on an absent item: the update expression itself fails.
        increment(missing, null))));
    assertFalse(get(fresh).containsKey("PK"), "the put was undone");
    assertFalse(get(missing).containsKey("PK"));
  }

  @Test
  void aConditionCheckAloneRefusesAndChangesNothing() {
    String fresh = "TX#" + UUID.randomUUID();
    String absent = "TX#" + UUID.randomUUID();
    assertThrows(TransactionCanceledException.class, () -> dynamo.transactWriteItems(b -> b.transactItems(
        put(fresh),
        TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(stack.tableName).key(key(absent))
            .conditionExpression("attribute_exists(PK)").build()).build())));
    assertFalse(get(fresh).containsKey("PK"));
  }
}
