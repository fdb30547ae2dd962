package com.enterpriseadmin.notification;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.observability.Log;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The table's stream consumer ({@code Events: Type: DynamoDB}, {@code ReportBatchItemFailures}): the changes of a
 * batch, in order, each handed to the {@link Notifier}. At the first change that fails (SES refused, a read failed,
 * a poison record), it stops and answers that change's sequence number as the batch item failure: Lambda keeps
 * what came before and retries from there (bisecting, so a poison record ends alone, then in the dead-letter
 * queue), and nothing after it is handled out of order.
 */
public final class NotifyHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    private final Supplier<Notifier> notifier;

    public NotifyHandler() {
        this(Wiring.get().json().mapper(), Wiring.get()::notifier);
    }

    NotifyHandler(ObjectMapper mapper, Supplier<Notifier> notifier) {
        this.mapper = mapper;
        this.notifier = notifier;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Log.begin("Notify", context == null ? null : context.getAwsRequestId());
        List<Change> changes = StreamRecords.changes(mapper.readTree(input));
        for (Change change : changes) {
            try {
                notifier.get().handle(change);
            } catch (RuntimeException e) {
                Log.error(e instanceof UnreadableChange ? "notification-poison-record" : "notification-failed", e,
                        "sequenceNumber", change.sequenceNumber(), "eventName", change.eventName(), "sk", change.sk());
                mapper.writeValue(output, Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", change.sequenceNumber()))));
                return;
            }
        }
        mapper.writeValue(output, Map.of("batchItemFailures", List.of()));
    }
}
