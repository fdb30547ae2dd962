package com.enterpriseadmin.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

class ReconciliationScheduleTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T02:00:00Z"), ZoneOffset.UTC);

    /** An SQS client that records SendMessageBatch and fails the entries named in {@code failOnce} the first time. */
    private static SqsClient sqs(List<SendMessageBatchRequest> sent, List<String> failOnce, boolean senderFault) {
        return (SqsClient) Proxy.newProxyInstance(SqsClient.class.getClassLoader(), new Class<?>[] {SqsClient.class}, (proxy, method, args) -> {
            if (!method.getName().equals("sendMessageBatch")) {
                throw new UnsupportedOperationException(method.getName());
            }
            SendMessageBatchRequest.Builder b = SendMessageBatchRequest.builder();
            @SuppressWarnings("unchecked")
            java.util.function.Consumer<SendMessageBatchRequest.Builder> c = (java.util.function.Consumer<SendMessageBatchRequest.Builder>) args[0];
            c.accept(b);
            SendMessageBatchRequest request = b.build();
            sent.add(request);
            List<BatchResultErrorEntry> failed = new ArrayList<>();
            for (SendMessageBatchRequestEntry e : request.entries()) {
                if (failOnce.remove(e.messageBody())) {
                    failed.add(BatchResultErrorEntry.builder().id(e.id()).code("InternalError").senderFault(senderFault).build());
                }
            }
            return SendMessageBatchResponse.builder().failed(failed).build();
        });
    }

    @Test
    void everyOrganizationIsSentOnceTenToABatchAndRefusedEntriesAgain() {
        List<SendMessageBatchRequest> sent = new ArrayList<>();
        List<String> failOnce = new ArrayList<>(List.of("org-3", "org-17"));
        SqsFanout fanout = new SqsFanout(sqs(sent, failOnce, false), "https://queue", id -> id);
        ReconciliationSchedule schedule = new ReconciliationSchedule(() -> IntStream.range(0, 23).mapToObj(i -> "org-" + i), fanout, List.of(), CLOCK);

        assertEquals(new ReconciliationSchedule.Report(23, Map.of()), schedule.run());
        List<String> bodies = sent.stream().flatMap(r -> r.entries().stream()).map(SendMessageBatchRequestEntry::messageBody).toList();
        assertEquals(25, bodies.size(), "23 organizations + 2 sent again");
        assertEquals(23, bodies.stream().distinct().count());
        assertEquals(List.of(10, 1, 10, 1, 3), sent.stream().map(r -> r.entries().size()).toList());
    }

    @Test
    void aRefusalThatIsTheSendersFaultFailsTheRun() {
        SqsFanout fanout = new SqsFanout(sqs(new ArrayList<>(), new ArrayList<>(List.of("org-1")), true), "https://queue", id -> id);
        assertThrows(IllegalStateException.class, () -> fanout.send(Stream.of("org-0", "org-1")));
    }

    @Test
    void aFailedSweepStillSendsTheOrganizationsThenFailsTheRun() {
        List<String> sentIds = new ArrayList<>();
        ReconciliationSchedule.Sweep broken = new ReconciliationSchedule.Sweep() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public int run(Instant now) {
                throw new IllegalStateException("down");
            }
        };
        ReconciliationSchedule schedule = new ReconciliationSchedule(() -> Stream.of("a", "b"), ids -> {
            ids.forEach(sentIds::add);
            return sentIds.size();
        }, List.of(broken), CLOCK);
        assertThrows(IllegalStateException.class, schedule::run);
        assertEquals(List.of("a", "b"), sentIds);
    }
}
