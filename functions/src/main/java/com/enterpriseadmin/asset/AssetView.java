package com.enterpriseadmin.asset;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** The JSON of an asset; {@code downloadUrl} (a presigned GET, minutes) only on the single READY asset. */
public record AssetView(
        String assetId,
        String name,
        String contentType,
        long size,
        long declaredSize,
        Asset.Status status,
        Asset.Visibility visibility,
        List<String> teamIds,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Instant deletedAt,
        String rejection,
        long version,
        URI downloadUrl,
        Instant downloadExpiresAt) {

    public static AssetView of(Asset a) {
        return of(a, null, null);
    }

    public static AssetView of(Asset a, URI downloadUrl, Instant downloadExpiresAt) {
        return new AssetView(a.assetId(), a.name(), a.contentType(), a.size(), a.declaredSize(), a.status(), a.visibility(), a.teamIds(),
                a.createdBy(), a.createdAt(), a.updatedAt(), a.deletedAt().orElse(null), a.rejection().orElse(null), a.version(),
                downloadUrl, downloadExpiresAt);
    }

    /** The answer of {@code POST .../assets}: the asset and its presigned POST. */
    public record Started(AssetView asset, Upload upload) {}

    /** Post {@code fields} as multipart/form-data to {@code url}, the file last (as the form field {@code file}). */
    public record Upload(URI url, String method, java.util.Map<String, String> fields, Instant expiresAt, long maxBytes) {}

    /** {@code GET .../storage}. */
    public record StorageView(long quotaBytes, long usedBytes, long reservedBytes, long availableBytes) {}
}
