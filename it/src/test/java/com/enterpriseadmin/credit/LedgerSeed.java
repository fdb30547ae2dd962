package com.enterpriseadmin.credit;

import com.enterpriseadmin.store.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Test seeding of a long ledger: CONSUMPTION entries in the stored format ({@link CreditItems#ledger}, the mapping
 * the service itself writes), put with BatchWriteItem. Only the ledger is written (no account, team or usage
 * counters): for tests that read the ledger alone, such as its CSV export, in an organization of their own.
 */
public final class LedgerSeed {
    private LedgerSeed() {}

    public static void consumptions(DynamoDbClient dynamo, String table, String orgId, String teamId, String userId, int count, Instant start) {
        List<List<WriteRequest>> batches = new ArrayList<>();
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LedgerEntry e = LedgerEntry.consumption(Ids.newId(), start.plusMillis(i), teamId, userId, "ALL", 1 + i % 7, "job-" + i,
                    "seeded consumption " + i + (i % 3 == 0 ? ", with a comma" : ""));
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(CreditItems.ledger(orgId, e)).build()).build());
            if (batch.size() == 25 || i == count - 1) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
        }
        // Written side by side: the emulator takes a batch at a time per connection.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            batches.forEach(b -> done.add(pool.submit(() -> write(dynamo, table, b))));
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("seeding the ledger failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void write(DynamoDbClient dynamo, String table, List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> request = Map.of(table, batch);
        while (!request.isEmpty()) {
            Map<String, List<WriteRequest>> sent = request;
            BatchWriteItemResponse r = dynamo.batchWriteItem(b -> b.requestItems(sent));
            request = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
            request = request.values().stream().allMatch(List::isEmpty) ? Map.of() : request;
        }
    }
}
