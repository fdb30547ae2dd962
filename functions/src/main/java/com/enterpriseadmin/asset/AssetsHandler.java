package com.enterpriseadmin.asset;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.http.PageResponse;
import java.util.Optional;

/** The reference-asset routes ({@code AssetsFunction}): start an upload, complete it, list, read, change, delete, restore, storage. */
public final class AssetsHandler extends ApiHandler {
    private static final String ASSET = "/v1/organizations/{orgId}/assets/{assetId}";
    private final Assets assets;

    public AssetsHandler() {
        this(Wiring.get().json(), Wiring.get().assets());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    AssetsHandler(Json json, Assets assets) {
        super(json);
        this.assets = assets;
        route("POST /v1/organizations/{orgId}/assets", this::start);
        route("GET /v1/organizations/{orgId}/assets", this::list);
        route("GET " + ASSET, this::get);
        route("PATCH " + ASSET, this::update);
        route("DELETE " + ASSET, this::delete);
        route("POST " + ASSET + "/complete", this::complete);
        route("POST " + ASSET + "/restore", this::restore);
        route("GET /v1/organizations/{orgId}/storage", this::storage);
    }

    private ApiResponse start(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        String orgId = request.pathParameter("orgId");
        AssetRequests.Create body = json.readBody(request.body(), AssetRequests.Create.class);
        AssetView.Started started = assets.start(caller, orgId, body);
        return created(started).withHeader("location", "/v1/organizations/" + orgId + "/assets/" + started.asset().assetId());
    }

    private ApiResponse list(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        boolean deleted = request.queryParameter("deleted").map(AssetsHandler::bool).orElse(false);
        var page = assets.list(caller, request.pathParameter("orgId"), request.queryParameter("teamId"), request.queryParameter("q"),
                deleted, PageRequest.from(request));
        return ok(PageResponse.of(page.map(AssetView::of)));
    }

    private ApiResponse get(ApiRequest request) {
        Assets.Found found = assets.get(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("assetId"));
        return ok(AssetView.of(found.asset(), found.downloadUrl().orElse(null), found.downloadExpiresAt().orElse(null)));
    }

    private ApiResponse update(ApiRequest request) {
        AssetRequests.Update body = json.readBody(request.body(), AssetRequests.Update.class).requireChange();
        Asset asset = assets.update(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("assetId"), body);
        return ok(AssetView.of(asset));
    }

    private ApiResponse delete(ApiRequest request) {
        assets.delete(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("assetId"));
        return ApiResponse.noContent();
    }

    private ApiResponse complete(ApiRequest request) {
        return ok(AssetView.of(assets.complete(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("assetId"))));
    }

    private ApiResponse restore(ApiRequest request) {
        return ok(AssetView.of(assets.restore(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("assetId"))));
    }

    private ApiResponse storage(ApiRequest request) {
        return ok(assets.storage(Caller.from(request.claims()), request.pathParameter("orgId")));
    }

    private static boolean bool(String raw) {
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInput("deleted", "'deleted' must be true or false");
        };
    }

}
