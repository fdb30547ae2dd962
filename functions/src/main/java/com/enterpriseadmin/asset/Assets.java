package com.enterpriseadmin.asset;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.Forbidden;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Retry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Use cases of the reference-asset library (docs/assets.md). Uploads never pass through a function: {@link #start}
 * reserves the declared size against the organization's quota and hands out a presigned S3 POST for exactly that
 * key, type and size; {@link #complete} (the route, the bucket's {@code ObjectCreated} event or the scheduled
 * sweep, whichever comes first, exactly once) checks what was stored — its size, and its type by its first bytes —
 * and settles the reservation: READY with the real size, or REJECTED and the object removed.
 */
public final class Assets {
    /** The most items the list reads from the table for one page (the rest is for the next page). */
    static final int MAX_READ_PER_PAGE = 500;
    /** How long a deleted asset can be restored: the bucket's lifecycle removes noncurrent data after 30 days. */
    public static final Duration RESTORABLE = Duration.ofDays(30);
    /** Uploads older than this are completed (if the file came) or abandoned by the scheduled sweep. */
    public static final Duration ABANDONED_AFTER = Duration.ofHours(1);
    public static final String SYSTEM = "system";

    public record Limits(Set<String> contentTypes, long maxBytes, long quotaBytes, Duration uploadTtl, Duration downloadTtl) {}

    private final Policy policy;
    private final AssetStore store;
    private final AssetObjects objects;
    private final Clock clock;
    private final Limits limits;

    public Assets(Policy policy, AssetStore store, AssetObjects objects, Clock clock, Limits limits) {
        this.policy = policy;
        this.store = store;
        this.objects = objects;
        this.clock = clock;
        this.limits = limits;
    }

    // ---------------------------------------------------------------- upload

    public AssetView.Started start(Caller caller, String orgId, AssetRequests.Create request) {
        Standing member = policy.require(caller, orgId, Action.READ_ORG_NAME);
        if (!AssetAccess.canShare(member, request.visibility(), request.teamIds())) {
            throw new Forbidden("forbidden", "only an organization OWNER or ADMIN, or the ADMIN of every team it is shared with "
                    + "(visibility TEAMS), may upload an asset");
        }
        if (!limits.contentTypes().contains(request.contentType())) {
            throw new InvalidInput("unsupported-content-type", "contentType",
                    "'contentType' must be one of " + limits.contentTypes().stream().sorted().toList());
        }
        if (request.size() > limits.maxBytes()) {
            throw new InvalidInput("asset-too-large", "size", "'size' must be at most " + limits.maxBytes() + " bytes")
                    .with("maxBytes", limits.maxBytes());
        }
        requireActiveTeams(orgId, request.teamIds());
        String assetId = Ids.newId();
        String key = Asset.objectKey(orgId, assetId);
        Asset asset = Retry.until(attempt -> {
            Instant now = clock.instant();
            Asset a = new Asset(assetId, orgId, request.name(), request.contentType(), request.size(), 0, Asset.Status.UPLOADING,
                    request.visibility(), request.teamIds(), key, caller.userId(), now, now, Optional.empty(), Optional.empty(), 1);
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "asset.upload-started", target(assetId), Map.of(),
                    AuditEntry.state("name", a.name(), "contentType", a.contentType(), "declaredSize", a.declaredSize(),
                            "visibility", a.visibility(), "teamIds", a.teamIds()), now);
            return switch (store.create(a, limits.quotaBytes(), entry)) {
                case DONE -> Optional.of(a);
                case QUOTA_EXCEEDED -> throw quotaExceeded(orgId, request.size());
                case RETRY, LOST_RACE -> Optional.<Asset>empty();
            };
        });
        AssetObjects.UploadForm form = objects.uploadForm(key, asset.contentType(), asset.declaredSize(), asset.createdAt(), limits.uploadTtl());
        return new AssetView.Started(AssetView.of(asset),
                new AssetView.Upload(form.url(), "POST", form.fields(), form.expiresAt(), asset.declaredSize()));
    }

    /** The route: the uploader or a manager says the file is there. */
    public Asset complete(Caller caller, String orgId, String assetId) {
        Standing member = policy.require(caller, orgId, Action.READ_ORG_NAME);
        Asset asset = visible(member, orgId, assetId);
        if (!AssetAccess.canManage(member, asset) && !caller.userId().equals(asset.createdBy())) {
            throw new Forbidden("forbidden", "only the uploader or a manager of this asset may complete its upload");
        }
        if (asset.status() != Asset.Status.UPLOADING) {
            return asset; // completed already (by the route, the bucket event or the sweep): the same answer again
        }
        return completeUpload(asset, caller.userId()).orElseThrow(() -> new Conflict("upload-missing",
                "the file has not arrived: post it with the upload form first, then complete"));
    }

    /**
     * Checks the stored object of an UPLOADING asset and settles it, exactly once whoever calls: READY, or REJECTED
     * (and the object purged). Empty when no object is stored yet.
     */
    public Optional<Asset> completeUpload(Asset asset, String actor) {
        OptionalLong stored = objects.size(asset.objectKey());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        long size = stored.getAsLong();
        Optional<String> rejection;
        if (size > asset.declaredSize()) {
            rejection = Optional.of("size: " + size + " bytes stored, " + asset.declaredSize() + " declared");
        } else if (!ContentSniffer.matches(objects.firstBytes(asset.objectKey(), ContentSniffer.PREFIX_BYTES), asset.contentType())) {
            rejection = Optional.of("content: the file's bytes are not " + asset.contentType());
        } else {
            rejection = Optional.empty();
        }
        if (rejection.isPresent()) {
            objects.purge(asset.objectKey());
        }
        Asset.Status to = rejection.isPresent() ? Asset.Status.REJECTED : Asset.Status.READY;
        return Optional.of(settle(asset, to, size, rejection, actor));
    }

    private Asset settle(Asset asset, Asset.Status to, long size, Optional<String> rejection, String actor) {
        return Retry.until(attempt -> {
            Instant now = clock.instant();
            AuditEntry entry = AuditEntry.of(asset.orgId(), actor, "asset." + to.name().toLowerCase(Locale.ROOT), target(asset.assetId()),
                    AuditEntry.state("status", Asset.Status.UPLOADING, "declaredSize", asset.declaredSize()),
                    AuditEntry.state("status", to, "size", to == Asset.Status.READY ? size : 0, "rejection", rejection.orElse(null)), now);
            return switch (store.settle(asset, to, size, rejection, now, entry)) {
                case DONE -> store.asset(asset.orgId(), asset.assetId());
                case LOST_RACE -> store.asset(asset.orgId(), asset.assetId()); // another completer was first
                case RETRY, QUOTA_EXCEEDED -> Optional.<Asset>empty();
            };
        });
    }

    /** The bucket's ObjectCreated event: completes the upload of that key if it is still under way. */
    public void objectCreated(String key) {
        Optional<String[]> ids = Asset.parseObjectKey(key);
        if (ids.isEmpty() || !Ids.isWellFormed(ids.get()[0]) || !Ids.isWellFormed(ids.get()[1])) {
            Log.warn("asset-event-ignored", "key", key);
            return;
        }
        store.asset(ids.get()[0], ids.get()[1])
                .filter(a -> a.status() == Asset.Status.UPLOADING)
                .ifPresent(a -> completeUpload(a, SYSTEM));
    }

    /**
     * The scheduled sweep: every upload started more than an hour ago and still under way is completed if its file
     * came (an event that never arrived), else abandoned — its reservation released. Returns how many it settled.
     */
    public int sweepUploads(Instant now) {
        int settled = 0;
        for (Key key : store.uploadsStartedBefore(now.minus(ABANDONED_AFTER))) {
            String orgId = key.pk().substring("ORG#".length());
            String assetId = key.sk().substring("ASSET#".length());
            Optional<Asset> asset = store.asset(orgId, assetId).filter(a -> a.status() == Asset.Status.UPLOADING);
            if (asset.isEmpty()) {
                continue;
            }
            if (completeUpload(asset.get(), SYSTEM).isEmpty()) {
                objects.purge(asset.get().objectKey()); // a post that lands after the form's expiry cannot: nothing to remove
                settle(asset.get(), Asset.Status.ABANDONED, 0, Optional.of("abandoned: no file within " + ABANDONED_AFTER.toMinutes() + " minutes"), SYSTEM);
            }
            settled++;
        }
        return settled;
    }

    // ---------------------------------------------------------------- read

    public record Found(Asset asset, Optional<java.net.URI> downloadUrl, Optional<Instant> downloadExpiresAt) {}

    public Found get(Caller caller, String orgId, String assetId) {
        Standing member = policy.require(caller, orgId, Action.READ_ORG_NAME);
        Asset asset = visible(member, orgId, assetId);
        if (asset.status() != Asset.Status.READY) {
            return new Found(asset, Optional.empty(), Optional.empty());
        }
        Instant expires = clock.instant().plus(limits.downloadTtl());
        return new Found(asset, Optional.of(objects.downloadUrl(asset.objectKey(), asset.contentType(), asset.name(), limits.downloadTtl())),
                Optional.of(expires));
    }

    /** What the caller may see, in key order; {@code teamId} keeps the assets shared with that team, {@code q} a name part. */
    public Page<Asset> list(Caller caller, String orgId, Optional<String> teamId, Optional<String> q, boolean deleted, PageRequest page) {
        Standing member = policy.require(caller, orgId, Action.READ_ORG_NAME);
        if (deleted && !AssetAccess.isAdministrator(member)) {
            throw new Forbidden("forbidden", "only an organization OWNER or ADMIN may list deleted assets");
        }
        if (teamId.isPresent() && !Ids.isWellFormed(teamId.get())) {
            throw new InvalidInput("teamId", "'teamId' is not a team id");
        }
        if (q.isPresent() && (q.get().length() > AssetRequests.MAX_NAME || q.get().contains(","))) {
            throw new InvalidInput("q", "'q' is one part of a name, at most " + AssetRequests.MAX_NAME + " characters, no comma (given once)");
        }
        Optional<String> needle = q.map(s -> AssetStore.nameKey(s.strip()));
        List<Asset> kept = new ArrayList<>();
        Optional<String> cursor = page.cursor();
        int read = 0;
        while (true) {
            AssetStore.Slice slice = store.slice(orgId, cursor, Math.min(100, page.limit() + 1));
            for (Asset a : slice.assets()) {
                read++;
                if ((a.status() == Asset.Status.DELETED) == deleted && AssetAccess.canSee(member, a)
                        && teamId.map(t -> a.teamIds().contains(t)).orElse(true)
                        && needle.map(n -> AssetStore.nameKey(a.name()).contains(n)).orElse(true)) {
                    if (kept.size() == page.limit()) {
                        return new Page<>(List.copyOf(kept), Optional.of(AssetStore.cursorAfter(kept.get(kept.size() - 1))));
                    }
                    kept.add(a);
                }
            }
            cursor = slice.nextCursor();
            if (cursor.isEmpty()) {
                return new Page<>(List.copyOf(kept), Optional.empty());
            }
            if (read >= MAX_READ_PER_PAGE) {
                // A sparse match: what was found and where to go on (every item before the cursor was examined;
                // such a page may hold fewer than 'limit' items, even none).
                return new Page<>(List.copyOf(kept), cursor);
            }
        }
    }

    public AssetView.StorageView storage(Caller caller, String orgId) {
        policy.require(caller, orgId, Action.VIEW_CREDITS);
        AssetStore.Storage s = store.storage(orgId);
        return new AssetView.StorageView(limits.quotaBytes(), s.usedBytes(), s.reservedBytes(), Math.max(0, limits.quotaBytes() - s.allocatedBytes()));
    }

    // ---------------------------------------------------------------- manage

    public Asset update(Caller caller, String orgId, String assetId, AssetRequests.Update request) {
        Standing member = policy.require(caller, orgId, Action.READ_ORG_NAME);
        request.teamIds().ifPresent(teams -> requireActiveTeams(orgId, teams));
        return Retry.until(attempt -> {
            Asset before = manageable(member, orgId, assetId);
            if (before.status() != Asset.Status.READY && before.status() != Asset.Status.UPLOADING) {
                throw new Conflict("asset-not-editable", "a " + before.status() + " asset cannot be changed");
            }
            Asset.Visibility visibility = request.visibility().orElse(before.visibility());
            List<String> teams = request.teamIds().orElse(before.teamIds());
            if (!AssetAccess.canShare(member, visibility, teams)) {
                throw new Forbidden("forbidden", "a team ADMIN may share an asset only with teams they administer (visibility TEAMS)");
            }
            String name = request.name().orElse(before.name());
            Instant now = clock.instant();
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "asset.updated", target(assetId),
                    AuditEntry.state("name", before.name(), "visibility", before.visibility(), "teamIds", before.teamIds()),
                    AuditEntry.state("name", name, "visibility", visibility, "teamIds", teams), now);
            return switch (store.update(before, name, visibility, teams, now, entry)) {
                case DONE -> store.asset(orgId, assetId);
                case LOST_RACE, RETRY, QUOTA_EXCEEDED -> Optional.<Asset>empty();
            };
        });
    }

    /** Hides a READY asset at once (restorable for 30 days); an upload under way is abandoned instead. */
    public void delete(Caller caller, String orgId, String assetId) {
        Standing member = policy.require(caller, orgId, Action.READ_ORG_NAME);
        Retry.until(attempt -> {
            Asset before = manageable(member, orgId, assetId);
            switch (before.status()) {
                case DELETED -> {
                    objects.hide(before.objectKey()); // a retry after a failure between the commit and the hide
                    return Optional.of(before);
                }
                case REJECTED, ABANDONED -> {
                    return Optional.of(before);
                }
                case UPLOADING -> {
                    objects.purge(before.objectKey());
                    settle(before, Asset.Status.ABANDONED, 0, Optional.of("cancelled"), caller.userId());
                    return Optional.of(before);
                }
                case READY -> { /* below */ }
            }
            Instant now = clock.instant();
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "asset.deleted", target(assetId),
                    AuditEntry.state("status", before.status()), AuditEntry.state("status", Asset.Status.DELETED), now);
            return switch (store.delete(before, now, entry)) {
                case DONE -> {
                    objects.hide(before.objectKey());
                    yield Optional.of(before);
                }
                case LOST_RACE, RETRY, QUOTA_EXCEEDED -> Optional.<Asset>empty();
            };
        });
    }

    /** OWNER / ADMIN: a DELETED asset is READY again, if its data is still kept and the quota has room. */
    public Asset restore(Caller caller, String orgId, String assetId) {
        Standing member = policy.require(caller, orgId, Action.READ_ORG_NAME);
        Asset first = visible(member, orgId, assetId);
        if (!AssetAccess.isAdministrator(member)) {
            throw new Forbidden("forbidden", "only an organization OWNER or ADMIN may restore an asset");
        }
        if (first.status() == Asset.Status.READY) {
            return first;
        }
        if (first.status() != Asset.Status.DELETED) {
            throw new Conflict("asset-not-deleted", "only a DELETED asset can be restored; this one is " + first.status());
        }
        Instant deletedAt = first.deletedAt().orElse(first.updatedAt());
        if (!clock.instant().isBefore(deletedAt.plus(RESTORABLE)) || !objects.unhide(first.objectKey())) {
            throw new Conflict("asset-purged", "the file was removed " + RESTORABLE.toDays() + " days after its deletion; it cannot be restored");
        }
        return Retry.until(attempt -> {
            Asset before = store.asset(orgId, assetId).orElseThrow(Assets::notFound);
            if (before.status() == Asset.Status.READY) {
                return Optional.of(before);
            }
            Instant now = clock.instant();
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "asset.restored", target(assetId),
                    AuditEntry.state("status", before.status()), AuditEntry.state("status", Asset.Status.READY), now);
            return switch (store.restore(before, limits.quotaBytes(), now, entry)) {
                case DONE -> store.asset(orgId, assetId);
                case QUOTA_EXCEEDED -> {
                    objects.hide(before.objectKey());
                    throw quotaExceeded(orgId, before.size());
                }
                case LOST_RACE, RETRY -> Optional.<Asset>empty();
            };
        });
    }

    // ---------------------------------------------------------------- helpers

    private Asset visible(Standing member, String orgId, String assetId) {
        if (!Ids.isWellFormed(assetId)) {
            throw notFound();
        }
        return store.asset(orgId, assetId).filter(a -> AssetAccess.canSee(member, a)).orElseThrow(Assets::notFound);
    }

    private Asset manageable(Standing member, String orgId, String assetId) {
        Asset asset = visible(member, orgId, assetId);
        if (!AssetAccess.canManage(member, asset)) {
            throw new Forbidden("forbidden", "only an organization OWNER or ADMIN, or the ADMIN of every team this asset is shared with, "
                    + "may change it");
        }
        return asset;
    }

    private void requireActiveTeams(String orgId, List<String> teamIds) {
        if (teamIds.isEmpty()) {
            return;
        }
        Map<String, String> statuses = store.teamStatuses(orgId, teamIds);
        for (String t : teamIds) {
            String status = statuses.get(t);
            if (status == null) {
                throw new InvalidInput("unknown-team", "teamIds", "team " + t + " is not a team of this organization").with("teamId", t);
            }
            if (!"ACTIVE".equals(status)) {
                throw new Conflict("team-archived", "team " + t + " is archived: assets cannot be shared with it").with("teamId", t);
            }
        }
    }

    private Conflict quotaExceeded(String orgId, long bytes) {
        AssetStore.Storage s = store.storage(orgId);
        long available = Math.max(0, limits.quotaBytes() - s.allocatedBytes());
        return new Conflict("storage-quota-exceeded", "the organization's storage quota has " + available + " bytes left; "
                + bytes + " were asked (uploads under way count until they complete)")
                .<Conflict>with("quotaBytes", limits.quotaBytes()).with("availableBytes", available);
    }

    static NotFound notFound() {
        return new NotFound("asset-not-found", "no such asset");
    }

    private static AuditEntry.Target target(String assetId) {
        return new AuditEntry.Target("asset", assetId);
    }
}
