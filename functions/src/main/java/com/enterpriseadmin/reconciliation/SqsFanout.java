package com.enterpriseadmin.reconciliation;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * One SQS message {@code {"orgId": "..."}} per organization, sent ten at a time
 * ({@code SendMessageBatch}); entries SQS did not take are sent again (3 tries), then the run fails.
 */
public final class SqsFanout implements ReconciliationSchedule.Fanout {
    static final int BATCH = 10;
    private static final int ATTEMPTS = 3;

    private final SqsClient sqs;
    private final String queueUrl;
    private final Function<String, String> body;

    public SqsFanout(SqsClient sqs, String queueUrl, Function<String, String> body) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.body = body;
    }

    @Override
    public int send(Stream<String> orgIds) {
        int sent = 0;
        List<String> batch = new ArrayList<>(BATCH);
        for (Iterator<String> it = orgIds.iterator(); it.hasNext(); ) {
            batch.add(it.next());
            if (batch.size() == BATCH || !it.hasNext()) {
                sendBatch(batch);
                sent += batch.size();
                batch.clear();
            }
        }
        return sent;
    }

    private void sendBatch(List<String> orgIds) {
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < orgIds.size(); i++) {
            pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body.apply(orgIds.get(i))).build());
        }
        for (int attempt = 0; attempt < ATTEMPTS && !pending.isEmpty(); attempt++) {
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(pending));
            if (!response.hasFailed() || response.failed().isEmpty()) {
                return;
            }
            Map<String, BatchResultErrorEntry> failed = response.failed().stream().collect(Collectors.toMap(BatchResultErrorEntry::id, f -> f));
            List<SendMessageBatchRequestEntry> again = pending.stream().filter(e -> failed.containsKey(e.id())).toList();
            if (failed.values().stream().anyMatch(BatchResultErrorEntry::senderFault)) {
                throw new IllegalStateException("SQS refused reconciliation messages: " + failed.values());
            }
            pending.clear();
            pending.addAll(again);
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException(pending.size() + " reconciliation messages not accepted by SQS after " + ATTEMPTS + " tries");
        }
    }
}
