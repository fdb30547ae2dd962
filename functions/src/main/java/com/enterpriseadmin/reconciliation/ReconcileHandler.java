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
 * The EventBridge-scheduled reconciliation (see template.yaml). Returns the report (useful when
 * invoked by hand); unexpected failures are rethrown so that Lambda retries and alarms fire.
 */
public final class ReconcileHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    private final Supplier<Reconciliation> reconciliation;

    public ReconcileHandler() {
        this(Wiring.get().json().mapper(), Wiring.get()::reconciliation);
    }

    ReconcileHandler(ObjectMapper mapper, Supplier<Reconciliation> reconciliation) {
        this.mapper = mapper;
        this.reconciliation = reconciliation;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        mapper.readTree(input);
        Log.begin("Reconcile", context == null ? null : context.getAwsRequestId());
        Reconciliation.Report report = reconciliation.get().run();
        Log.info("reconciliation-finished", "organizations", report.organizations(), "organizationsWithDrift", report.organizationsWithDrift(),
                "totalAbsoluteDrift", report.totalAbsoluteDrift(), "holdsReleased", report.holdsReleased(), "periodsReset", report.periodsReset(),
                "sweeps", report.sweeps());
        mapper.writeValue(output, report);
    }
}
