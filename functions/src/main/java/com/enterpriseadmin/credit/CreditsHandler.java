package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.http.CsvExport;
import com.enterpriseadmin.http.PageResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The organization's credit account: top-ups, balance with per-team usage, ledger, team usage. */
public final class CreditsHandler extends CreditWriteHandler {
    private final Credits credits;
    private final CreditReports reports;
    private final OrganizationUsage organizationUsage;

    public CreditsHandler() {
        this(Wiring.get().json(), Wiring.get().credits(), Wiring.get().creditReports(), Wiring.get().organizationUsage());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    CreditsHandler(Json json, Credits credits, CreditReports reports) {
        this(json, credits, reports, null);
    }

    CreditsHandler(Json json, Credits credits, CreditReports reports, OrganizationUsage organizationUsage) {
        super(json);
        this.credits = credits;
        this.reports = reports;
        this.organizationUsage = organizationUsage;
        route("GET /v1/organizations/{orgId}/usage", this::organizationUsage);
        route("POST /v1/organizations/{orgId}/credits/top-ups", this::topUp);
        route("GET /v1/organizations/{orgId}/credits", r -> ok(reports.status(Caller.from(r.claims()), r.pathParameter("orgId"))));
        route("GET /v1/organizations/{orgId}/ledger", this::ledger);
        route("GET /v1/organizations/{orgId}/teams/{teamId}/usage", this::usage);
    }

    private ApiResponse topUp(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        String key = idempotencyKey(request);
        Requests.TopUp body = json.readBody(request.body(), Requests.TopUp.class);
        return answer(201, credits.topUp(caller, request.pathParameter("orgId"), key, body));
    }

    private ApiResponse ledger(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        String orgId = request.pathParameter("orgId");
        Optional<String> teamId = request.queryParameter("teamId");
        Optional<Instant> from = PageRequest.instant(request, "from");
        Optional<Instant> to = PageRequest.instant(request, "to");
        PageRequest page = PageRequest.from(request);
        if (CsvExport.wanted(request)) {
            return CsvExport.answer(request, "ledger", LEDGER_CSV, page.cursor(),
                    cursor -> reports.ledger(caller, orgId, teamId, from, to, PageRequest.export(cursor)),
                    e -> new Object[] {e.at().toString(), e.entryId(), e.kind(), e.amount(), e.teamId(), e.userId(), e.actor(), e.actorEmail(),
                            e.holdId(), e.jobId(), e.description(), e.source(), e.reference(), e.note()});
        }
        return ok(PageResponse.of(reports.ledger(caller, orgId, teamId, from, to, page)));
    }

    private static final List<String> LEDGER_CSV = List.of("at", "entryId", "kind", "amount", "teamId", "userId", "actor", "actorEmail",
            "holdId", "jobId", "description", "source", "reference", "note");

    private ApiResponse usage(ApiRequest request) {
        return ok(reports.usage(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("teamId"),
                PageRequest.instant(request, "from"), PageRequest.instant(request, "to"), request.queryParameter("groupBy")));
    }

    private ApiResponse organizationUsage(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        String orgId = request.pathParameter("orgId");
        Optional<Instant> from = PageRequest.instant(request, "from");
        Optional<Instant> to = PageRequest.instant(request, "to");
        Optional<String> groupBy = request.queryParameter("groupBy");
        Optional<String> teamId = request.queryParameter("teamId");
        PageRequest page = PageRequest.from(request);
        if (CsvExport.wanted(request)) {
            return CsvExport.answer(request, "usage", USAGE_CSV, page.cursor(),
                    cursor -> organizationUsage.page(caller, orgId, from, to, groupBy, teamId, PageRequest.export(cursor)),
                    r -> new Object[] {r.teamId(), r.teamName(), r.userId(), r.email(), r.period(), r.consumed(), r.consumptions()});
        }
        return ok(organizationUsage.report(caller, orgId, from, to, groupBy, teamId, page));
    }

    private static final List<String> USAGE_CSV = List.of("teamId", "teamName", "userId", "email", "period", "consumed", "consumptions");
}
