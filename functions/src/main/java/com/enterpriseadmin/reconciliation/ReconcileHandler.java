package com.enterpriseadmin.reconciliation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.observability.Log;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * The EventBridge-scheduled reconciliation (see template.yaml): the sweeps, then one message per
 * organization on the reconciliation queue ({@link ReconcileOrganizationHandler} does the rest).
 * Returns the report (useful when invoked by hand); unexpected failures are rethrown so that Lambda
 * retries and alarms fire.
 */
public final class ReconcileHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    private final Supplier<ReconciliationSchedule> schedule;

    public ReconcileHandler() {
        this(Wiring.get().json().mapper(), Wiring.get()::reconciliationSchedule);
    }

    ReconcileHandler(ObjectMapper mapper, Supplier<ReconciliationSchedule> schedule) {
        this.mapper = mapper;
        this.schedule = schedule;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        mapper.readTree(input);
        Log.begin("Reconcile", context == null ? null : context.getAwsRequestId());
        ReconciliationSchedule.Report report = schedule.get().run();
        Log.info("reconciliation-enqueued", "organizations", report.organizationsEnqueued(), "sweeps", report.sweeps());
        mapper.writeValue(output, report);
    }
}
