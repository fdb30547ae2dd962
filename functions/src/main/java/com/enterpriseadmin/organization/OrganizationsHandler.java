package com.enterpriseadmin.organization;

import com.enterpriseadmin.audit.AuditLog;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.http.CsvExport;
import com.enterpriseadmin.http.PageResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The OrganizationsFunction: organizations, their users and their audit log. Decode, call one use
 * case, encode; permissions are decided inside the use cases by {@code auth.Policy}.
 */
public final class OrganizationsHandler extends ApiHandler {
    private final Organizations organizations;
    private final Members members;
    private final AuditLog auditLog;
    private final Directory directory;

    public OrganizationsHandler() {
        this(Wiring.get().json(), Wiring.get().organizations(), Wiring.get().members(), Wiring.get().auditLog(), Wiring.get().directory());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    OrganizationsHandler(Json json, Organizations organizations, Members members, AuditLog auditLog) {
        this(json, organizations, members, auditLog, null);
    }

    OrganizationsHandler(Json json, Organizations organizations, Members members, AuditLog auditLog, Directory directory) {
        super(json);
        this.organizations = organizations;
        this.members = members;
        this.auditLog = auditLog;
        this.directory = directory;
        route("POST /v1/organizations", this::create);
        route("GET /v1/organizations/{orgId}", this::get);
        route("PATCH /v1/organizations/{orgId}", this::rename);
        route("GET /v1/organizations/{orgId}/users", this::listUsers);
        route("PATCH /v1/organizations/{orgId}/users/{userId}", this::updateUser);
        route("DELETE /v1/organizations/{orgId}/users/{userId}", this::removeUser);
        route("GET /v1/organizations/{orgId}/audit-log", this::auditLog);
    }

    private ApiResponse create(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        Organizations.View org = organizations.create(caller, json.readBody(request.body(), CreateOrganizationRequest.class));
        return created(org).withHeader("location", "/v1/organizations/" + org.orgId());
    }

    private ApiResponse get(ApiRequest request) {
        return ok(organizations.get(Caller.from(request.claims()), request.pathParameter("orgId")));
    }

    private ApiResponse rename(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        UpdateOrganizationRequest body = json.readBody(request.body(), UpdateOrganizationRequest.class);
        return ok(organizations.rename(caller, request.pathParameter("orgId"), body));
    }

    private ApiResponse listUsers(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        PageRequest page = PageRequest.from(request);
        Optional<String> q = request.queryParameter("q");
        if (q.isPresent()) {
            return ok(PageResponse.of(directory.search(caller, request.pathParameter("orgId"), q.get(), page)));
        }
        return ok(PageResponse.of(members.list(caller, request.pathParameter("orgId"), page)));
    }

    private ApiResponse updateUser(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        UpdateMemberRequest body = json.readBody(request.body(), UpdateMemberRequest.class);
        return ok(members.update(caller, request.pathParameter("orgId"), request.pathParameter("userId"), body));
    }

    private ApiResponse removeUser(ApiRequest request) {
        members.remove(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("userId"));
        return ApiResponse.noContent();
    }

    private ApiResponse auditLog(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        PageRequest page = PageRequest.from(request);
        String orgId = request.pathParameter("orgId");
        Optional<Instant> from = PageRequest.instant(request, "from");
        Optional<Instant> to = PageRequest.instant(request, "to");
        AuditStore.Filter filter = new AuditStore.Filter(request.queryParameter("actor"), request.queryParameter("action"),
                request.queryParameter("target"));
        if (CsvExport.wanted(request)) {
            return CsvExport.answer(request, "audit-log", AUDIT_CSV, page.cursor(),
                    cursor -> auditLog.list(caller, orgId, from, to, filter, PageRequest.export(cursor)),
                    e -> new Object[] {e.at().toString(), e.entryId(), e.actor(), e.actorEmail(), e.action(), e.target().type(), e.target().id(),
                            json.write(e.before()), json.write(e.after())});
        }
        return ok(PageResponse.of(auditLog.list(caller, orgId, from, to, filter, page)));
    }

    private static final List<String> AUDIT_CSV = List.of("at", "entryId", "actor", "actorEmail", "action", "targetType", "targetId", "before", "after");
}
