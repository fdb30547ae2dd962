package com.enterpriseadmin.webhook;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.http.PageResponse;
import java.util.Map;

/** The webhook routes ({@code WebhooksFunction}; docs/webhooks.md). */
public final class WebhooksHandler extends ApiHandler {
    private static final String BASE = "/v1/organizations/{orgId}/webhooks";
    private final Webhooks webhooks;

    public WebhooksHandler() {
        this(Wiring.get().json(), Wiring.get().webhooks());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    WebhooksHandler(Json json, Webhooks webhooks) {
        super(json);
        this.webhooks = webhooks;
        route("POST " + BASE, this::create);
        route("GET " + BASE, this::list);
        route("GET " + BASE + "/{webhookId}", this::get);
        route("PATCH " + BASE + "/{webhookId}", this::update);
        route("DELETE " + BASE + "/{webhookId}", this::delete);
        route("GET " + BASE + "/{webhookId}/deliveries", this::deliveries);
        route("POST " + BASE + "/{webhookId}/deliveries/{deliveryId}/redeliver", this::redeliver);
    }

    private ApiResponse create(ApiRequest request) {
        String orgId = request.pathParameter("orgId");
        Webhooks.Created created = webhooks.create(Caller.from(request.claims()), orgId, json.readBody(request.body(), CreateWebhookRequest.class));
        return created(WebhookView.WithSecret.of(created))
                .withHeader("location", "/v1/organizations/" + orgId + "/webhooks/" + created.webhook().webhookId());
    }

    private ApiResponse list(ApiRequest request) {
        return ok(Map.of("items", webhooks.list(Caller.from(request.claims()), request.pathParameter("orgId")).stream().map(WebhookView::of).toList()));
    }

    private ApiResponse get(ApiRequest request) {
        return ok(WebhookView.of(webhooks.get(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("webhookId"))));
    }

    private ApiResponse update(ApiRequest request) {
        UpdateWebhookRequest body = json.readBody(request.body(), UpdateWebhookRequest.class);
        return ok(WebhookView.of(webhooks.update(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("webhookId"), body)));
    }

    private ApiResponse delete(ApiRequest request) {
        webhooks.delete(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("webhookId"));
        return ApiResponse.noContent();
    }

    private ApiResponse deliveries(ApiRequest request) {
        PageRequest page = PageRequest.from(request);
        return ok(PageResponse.of(webhooks.deliveries(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("webhookId"),
                page.cursor(), page.limit()).map(DeliveryView::of)));
    }

    private ApiResponse redeliver(ApiRequest request) {
        Delivery d = webhooks.redeliver(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("webhookId"),
                request.pathParameter("deliveryId"));
        return ApiResponse.of(202, ApiResponse.JSON, json.write(DeliveryView.of(d)));
    }
}
