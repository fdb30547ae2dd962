package com.enterpriseadmin.asset;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One reference asset of an organization's library: its metadata (the file is the S3 object {@link #objectKey}).
 * {@code declaredSize} is what the upload reserved against the quota; {@code size} what was stored (0 until READY).
 */
public record Asset(
        String assetId,
        String orgId,
        String name,
        String contentType,
        long declaredSize,
        long size,
        Status status,
        Visibility visibility,
        List<String> teamIds,
        String objectKey,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> deletedAt,
        Optional<String> rejection,
        long version) {

    public Asset {
        teamIds = List.copyOf(teamIds);
    }

    public enum Status {
        /** Quota reserved, presigned POST handed out; waiting for the object. */
        UPLOADING,
        READY,
        /** The stored object was not what was declared (type by its first bytes, or size): deleted. */
        REJECTED,
        /** Never completed: the scheduled job released its reservation after an hour. */
        ABANDONED,
        /** Hidden; the object stays restorable until S3's lifecycle removes it (30 days). */
        DELETED
    }

    public enum Visibility { ORGANIZATION, TEAMS }

    /** The S3 key of an asset: under its organization's prefix, chosen by the server. */
    public static String objectKey(String orgId, String assetId) {
        return "orgs/" + orgId + "/assets/" + assetId;
    }

    /** The organization and asset of an object key (an S3 event names only the key), if it is one of ours. */
    public static Optional<String[]> parseObjectKey(String key) {
        String[] parts = key.split("/");
        if (parts.length == 4 && parts[0].equals("orgs") && parts[2].equals("assets")) {
            return Optional.of(new String[] {parts[1], parts[3]});
        }
        return Optional.empty();
    }
}
