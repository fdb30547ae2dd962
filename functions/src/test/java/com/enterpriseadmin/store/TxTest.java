package com.enterpriseadmin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.support.FakeDynamo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

class TxTest {
    private final FakeDynamo dynamo = new FakeDynamo();

    @Test
    void sendsOnlyThePlaceholdersItsExpressionsUseAndAsksForTheOldItem() {
        Tx tx = dynamo.db.tx();
        tx.update(Keys.account("o1"))
                .set("#a = #a - :n").set("#seq = #seq + :one")
                .when("#a >= :n")
                .names(Map.of("#a", "available", "#seq", "seq", "#unused", "x"))
                .value(":n", 5).value(":one", 1).value(":unused", "y")
                .add();
        tx.put(Item.of(Keys.hold("o1", "h1"), "HOLD").build()).ifAbsent().add();
        assertTrue(tx.commit().committed());
        List<TransactWriteItem> sent = dynamo.transactions.get(0).transactItems();
        assertEquals("SET #a = #a - :n, #seq = #seq + :one", sent.get(0).update().updateExpression());
        assertEquals("#a >= :n", sent.get(0).update().conditionExpression());
        assertEquals(Map.of("#a", "available", "#seq", "seq"), sent.get(0).update().expressionAttributeNames());
        assertEquals(2, sent.get(0).update().expressionAttributeValues().size());
        assertEquals("ALL_OLD", sent.get(0).update().returnValuesOnConditionCheckFailureAsString());
        assertEquals("attribute_not_exists(PK)", sent.get(1).put().conditionExpression());
        assertFalse(sent.get(1).put().hasExpressionAttributeNames());
    }

    @Test
    void aPlaceholderUsedButNotGivenFailsBeforeAnythingIsSent() {
        Tx tx = dynamo.db.tx();
        assertThrows(IllegalStateException.class, () -> tx.update(Keys.account("o1")).set("#a = :n").name("#a", "a").add());
        assertThrows(IllegalStateException.class, () -> tx.check(Keys.account("o1")).add());
        assertEquals(0, dynamo.transactions.size());
    }

    @Test
    void severalConditionsAreJoinedWithAnd() {
        Tx tx = dynamo.db.tx();
        tx.delete(Keys.account("o1")).when("version = :v").when("#r <> :owner OR attribute_not_exists(#r)")
                .name("#r", "role").value(":v", 3).value(":owner", "OWNER").add();
        tx.commit();
        assertEquals("version = :v AND (#r <> :owner OR attribute_not_exists(#r))",
                dynamo.transactions.get(0).transactItems().get(0).delete().conditionExpression());
    }

    @Test
    void aCancellationTellsWhichActionRefused() {
        Tx tx = dynamo.db.tx();
        Tx.Action first = tx.update(Keys.account("o1")).set("a = :n").when("a >= :n").value(":n", 1).add();
        Tx.Action second = tx.check(Keys.membership("o1", "u1")).ifExists().add();
        dynamo.cancellations.add(List.of("None", "ConditionalCheckFailed"));
        Tx.Result result = tx.commit();
        assertFalse(result.committed());
        assertTrue(result.refused());
        assertFalse(result.contended());
        assertFalse(result.failed(first));
        assertTrue(result.failed(second));
        assertEquals(Optional.empty(), result.oldItem(second));
    }

    @Test
    void conflictsAndThrottlingAreContentionAndAnythingElseIsADefect() {
        Tx tx = dynamo.db.tx();
        tx.check(Keys.membership("o1", "u1")).ifExists().add();
        tx.check(Keys.membership("o1", "u2")).ifExists().add();
        dynamo.cancellations.add(List.of("TransactionConflict", "ThrottlingError"));
        Tx.Result result = tx.commit();
        assertTrue(result.contended());
        assertFalse(result.refused());

        dynamo.cancellations.add(List.of("ValidationError", "None"));
        IllegalStateException defect = assertThrows(IllegalStateException.class, tx::commit);
        assertTrue(defect.getMessage().contains("ValidationError"), defect.getMessage());
    }

    @Test
    void aSingleWriteIsSentAsItsOwnRequest() {
        Tx write = dynamo.db.write();
        write.update(Keys.account("o1")).set("#s = :done").when("#s = :open").name("#s", "status").value(":done", "DONE").value(":open", "OPEN").add();
        assertTrue(write.commit().committed());
        assertEquals(0, dynamo.transactions.size());
        UpdateItemRequest sent = (UpdateItemRequest) dynamo.writes.get(0);
        assertEquals("SET #s = :done", sent.updateExpression());
        assertEquals("#s = :open", sent.conditionExpression());
        assertEquals("table", sent.tableName());
    }

    @Test
    void retryMakesTheAttemptAgainUntilItIsDoneAndThenGivesUpAsBusy() {
        AtomicInteger calls = new AtomicInteger();
        assertEquals("done", Retry.until(n -> calls.incrementAndGet() < 3 ? Optional.empty() : Optional.of("done")));
        assertEquals(3, calls.get());
        calls.set(0);
        DomainException.Busy busy = assertThrows(DomainException.Busy.class, () -> Retry.until("team busy", n -> {
            calls.incrementAndGet();
            return Optional.empty();
        }));
        assertEquals(Retry.MAX_ATTEMPTS, calls.get());
        assertEquals("team busy", busy.detail());
    }
}
