package com.enterpriseadmin.invitation;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.http.PageResponse;

/** The InvitationsFunction: invitations, from the administrator's invite to the invitee's accept or decline. */
public final class InvitationsHandler extends ApiHandler {
    private final Invitations invitations;
    private final InvitationBatches batches;

    public InvitationsHandler() {
        this(Wiring.get().json(), Wiring.get().invitations(), Wiring.get().invitationBatches());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    InvitationsHandler(Json json, Invitations invitations) {
        this(json, invitations, null);
    }

    InvitationsHandler(Json json, Invitations invitations, InvitationBatches batches) {
        super(json);
        this.invitations = invitations;
        this.batches = batches;
        route("POST /v1/organizations/{orgId}/invitations/batch", this::inviteBatch);
        route("PATCH /v1/organizations/{orgId}/invitations/{invitationId}", this::edit);
        route("POST /v1/organizations/{orgId}/invitations", this::invite);
        route("GET /v1/organizations/{orgId}/invitations", this::list);
        route("POST /v1/organizations/{orgId}/invitations/{invitationId}/resend", this::resend);
        route("POST /v1/organizations/{orgId}/invitations/{invitationId}/revoke", this::revoke);
        route("POST /v1/invitations/{invitationId}/accept", this::accept);
        route("POST /v1/invitations/{invitationId}/decline", this::decline);
    }

    private ApiResponse invite(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        CreateInvitationRequest body = json.readBody(request.body(), CreateInvitationRequest.class);
        Invitations.Invited result = invitations.invite(caller, request.pathParameter("orgId"), body);
        String location = "/v1/organizations/" + result.invitation().orgId() + "/invitations/" + result.invitation().invitationId();
        return (result.created() ? created(result.invitation()) : ok(result.invitation())).withHeader("location", location);
    }

    private ApiResponse inviteBatch(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        String orgId = request.pathParameter("orgId");
        BatchInvitationRequest body = json.readBody(request.body(), BatchInvitationRequest.class);
        KeyedRuns.Answer answer = batches.invite(caller, orgId, request.header("idempotency-key"), body);
        ApiResponse response = ApiResponse.of(200, ApiResponse.JSON, answer.json());
        return answer.replayed() ? response.withHeader("idempotent-replayed", "true") : response;
    }

    private ApiResponse edit(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        UpdateInvitationRequest body = json.readBody(request.body(), UpdateInvitationRequest.class);
        return ok(invitations.edit(caller, request.pathParameter("orgId"), request.pathParameter("invitationId"), body));
    }

    private ApiResponse list(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        PageRequest page = PageRequest.from(request);
        return ok(PageResponse.of(invitations.list(caller, request.pathParameter("orgId"), request.queryParameter("status"), page)));
    }

    private ApiResponse resend(ApiRequest request) {
        return ok(invitations.resend(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("invitationId")));
    }

    private ApiResponse revoke(ApiRequest request) {
        return ok(invitations.revoke(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("invitationId")));
    }

    private ApiResponse accept(ApiRequest request) {
        return ok(invitations.accept(Caller.from(request.claims()), request.pathParameter("invitationId")));
    }

    private ApiResponse decline(ApiRequest request) {
        return ok(invitations.decline(Caller.from(request.claims()), request.pathParameter("invitationId")));
    }
}
