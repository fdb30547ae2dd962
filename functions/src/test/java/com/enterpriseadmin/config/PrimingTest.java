package com.enterpriseadmin.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.auth.Admission;
import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** SnapStart priming (config.Priming): the paths it runs, that it writes nothing, and that it never fails a snapshot. */
class PrimingTest {
    private final Json json = new Json();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    /** A handler with no route of its own, admitting like a function with ALLOWED_EMAIL_DOMAINS=corp.example. */
    private ApiHandler apiHandler(List<String> allowedDomains) {
        return new ApiHandler(json, new Admission(allowedDomains)) {};
    }

    @Test
    void theApiEventPassesTheAdmissionAndReachesNoRoute() throws Exception {
        for (List<String> domains : List.of(List.<String>of(), List.of("corp.example", "other.example"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            apiHandler(domains).handleRequest(new java.io.ByteArrayInputStream(Priming.event(Priming.Event.API, domains)), out, null);
            JsonNode response = json.mapper().readTree(out.toByteArray());
            JsonNode problem = json.mapper().readTree(response.path("body").asText());
            assertEquals(404, response.path("statusCode").asInt(), response.toString());
            assertEquals("route-not-found", problem.path("code").asText(), "admitted (allowed domains " + domains + "), then no route");
        }
    }

    @Test
    void readsOnlyThePrimingPartitionWithEveryReadPathAndWritesNothing() throws Exception {
        FakeDynamo dynamo = new FakeDynamo();
        long ms = new Priming(apiHandler(List.of()), Priming.event(Priming.Event.API, List.of()), List.of(Priming.tableRead(dynamo.db))).run();
        assertTrue(ms >= 0);
        assertEquals(2, dynamo.reads.size(), "a GetItem and a BatchGetItem: " + dynamo.reads);
        GetItemRequest read = (GetItemRequest) dynamo.reads.get(0);
        assertEquals(Keys.priming().toMap(), read.key());
        assertTrue(read.consistentRead());
        BatchGetItemRequest batch = (BatchGetItemRequest) dynamo.reads.get(1);
        assertEquals(List.of(Keys.priming().toMap()), batch.requestItems().get("table").keys());
        assertEquals(1, dynamo.queries.size());
        QueryRequest query = dynamo.queries.get(0);
        assertEquals(Keys.priming().pk(), query.expressionAttributeValues().get(":pk").s(), "the priming partition only");
        assertTrue(query.consistentRead());
        assertTrue(dynamo.writes.isEmpty() && dynamo.transactions.isEmpty());
    }

    @Test
    void aReadTheRoleRefusesIsSkippedAnyOtherFailureIsNot() throws Exception {
        FakeDynamo dynamo = new FakeDynamo();
        dynamo.faults.add(new FakeDynamo.Fault("query", false, r -> denied()));
        new Priming(apiHandler(List.of()), Priming.event(Priming.Event.API, List.of()), List.of(Priming.tableRead(dynamo.db))).run();
        assertEquals(2, dynamo.reads.size(), "the BatchGetItem still ran after the refused Query");

        FakeDynamo failing = new FakeDynamo();
        failing.faults.add(new FakeDynamo.Fault("query", false, r -> DynamoDbException.builder().statusCode(500).message("boom")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerError").build()).build()));
        Priming priming = new Priming(apiHandler(List.of()), Priming.event(Priming.Event.API, List.of()), List.of(Priming.tableRead(failing.db)));
        assertThrows(DynamoDbException.class, priming::run);
    }

    private static DynamoDbException denied() {
        return (DynamoDbException) DynamoDbException.builder().statusCode(400).message("not authorized")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build();
    }

    @Test
    void theJsonRoundTripWritesAndReadsItsFixedSample() {
        assertDoesNotThrow(() -> Priming.jsonRoundTrip(json).run());
        String text = json.write(Priming.JsonSample.VALUE);
        assertTrue(text.contains("\"at\":\"1970-01-01T00:00:00Z\""), "fixed, nothing from the clock: " + text);
    }

    @Test
    void theTransactionPathIsOneTransactionOfEveryActionKindThatDynamoCancelsOnThePrimingPartition() throws Exception {
        FakeDynamo dynamo = new FakeDynamo();
        dynamo.cancellations.add(List.of("ConditionalCheckFailed", "None", "None", "None"));
        new Priming(apiHandler(List.of()), Priming.event(Priming.Event.API, List.of()), List.of(Priming.transactionPath(dynamo.db))).run();
        assertEquals(1, dynamo.transactions.size());
        List<TransactWriteItem> actions = dynamo.transactions.get(0).transactItems();
        assertEquals(4, actions.size());
        assertEquals(Keys.priming().toMap(), actions.get(0).update().key());
        assertEquals("attribute_exists(PK)", actions.get(0).update().conditionExpression(), "only an item that never exists would be written");
        assertEquals(Priming.variant("CHECK").toMap(), actions.get(1).conditionCheck().key());
        assertEquals(Priming.variant("PUT").pk(), actions.get(2).put().item().get(Keys.PK).s());
        assertEquals(Priming.variant("DELETE").toMap(), actions.get(3).delete().key());
        assertTrue(dynamo.writes.isEmpty() && dynamo.reads.isEmpty() && dynamo.queries.isEmpty());
    }

    @Test
    void whenTheRoleRefusesSomeActionKindTheUpdateAloneIsPrimed() throws Exception {
        FakeDynamo dynamo = new FakeDynamo();
        dynamo.faults.add(new FakeDynamo.Fault("transactWriteItems", false, r -> denied()));
        dynamo.cancellations.add(List.of("ConditionalCheckFailed"));
        new Priming(apiHandler(List.of()), Priming.event(Priming.Event.API, List.of()), List.of(Priming.transactionPath(dynamo.db))).run();
        assertEquals(1, dynamo.transactions.size(), "the refused one was never recorded");
        List<TransactWriteItem> actions = dynamo.transactions.get(0).transactItems();
        assertEquals(1, actions.size());
        assertEquals(Keys.priming().toMap(), actions.get(0).update().key());
    }

    @Test
    void theSingleWritePathIsAPutOfThePrimingKeyThatDynamoRefusesOrNothingIfTheRoleRefusesIt() throws Exception {
        FakeDynamo dynamo = new FakeDynamo();
        dynamo.faults.add(new FakeDynamo.Fault("putItem", true, r -> ConditionalCheckFailedException.builder().message("refused").build()));
        new Priming(apiHandler(List.of()), Priming.event(Priming.Event.API, List.of()), List.of(Priming.singleWritePath(dynamo.db))).run();
        PutItemRequest put = (PutItemRequest) dynamo.writes.get(0);
        assertEquals(Keys.priming().pk(), put.item().get(Keys.PK).s());
        assertEquals(Keys.priming().sk(), put.item().get(Keys.SK).s());
        assertEquals("attribute_exists(PK)", put.conditionExpression(), "only an item that never exists would be replaced");

        FakeDynamo deniedTable = new FakeDynamo();
        deniedTable.faults.add(new FakeDynamo.Fault("putItem", false, r -> denied()));
        assertDoesNotThrow(() -> Priming.singleWritePath(deniedTable.db).run());
        assertTrue(deniedTable.writes.isEmpty());

        FakeDynamo accepting = new FakeDynamo();
        assertThrows(IllegalStateException.class, () -> Priming.singleWritePath(accepting.db).run(), "a priming put that succeeded is an error");
    }

    @Test
    void aPrimingTransactionThatCommitsIsAnError() {
        FakeDynamo dynamo = new FakeDynamo();
        Priming priming = new Priming(apiHandler(List.of()), Priming.event(Priming.Event.API, List.of()), List.of(Priming.transactionPath(dynamo.db)));
        assertThrows(IllegalStateException.class, priming::run);
    }

    @Test
    void anItemUnderThePrimingKeyIsAnError() {
        FakeDynamo dynamo = new FakeDynamo();
        dynamo.put(java.util.Map.of(Keys.PK, AttributeValue.fromS(Keys.priming().pk()), Keys.SK, AttributeValue.fromS(Keys.priming().sk())));
        Priming priming = new Priming(apiHandler(List.of()), Priming.event(Priming.Event.API, List.of()), List.of(Priming.tableRead(dynamo.db)));
        assertThrows(IllegalStateException.class, priming::run);
    }

    @Test
    void aFailedPrimingIsLoggedAndNeverFailsTheSnapshot() {
        Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        DynamoDbClient missingTable = (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                    throw ResourceNotFoundException.builder().message("Requested resource not found").build();
                });
        Priming priming = new Priming(apiHandler(List.of()), Priming.event(Priming.Event.API, List.of()),
                List.of(Priming.tableRead(new Db(missingTable, "no-such-table"))));
        assertThrows(ResourceNotFoundException.class, priming::run);
        assertDoesNotThrow(() -> priming.beforeCheckpoint(null));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("\"event\":\"snapstart-priming-failed\""), log.toString(StandardCharsets.UTF_8));
        assertDoesNotThrow(() -> priming.afterRestore(null));
    }

    @Test
    void withoutClientsItOnlyRunsTheHandler() {
        Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        Priming priming = new Priming(apiHandler(List.of()), Priming.event(Priming.Event.API, List.of()), List.of());
        assertDoesNotThrow(() -> priming.beforeCheckpoint(null));
        String lines = log.toString(StandardCharsets.UTF_8);
        assertTrue(lines.contains("\"event\":\"snapstart-primed\""), lines);
        assertTrue(lines.contains("\"requestId\":\"" + Priming.REQUEST_ID + "\""), "the priming's own log lines say so: " + lines);
    }
}
