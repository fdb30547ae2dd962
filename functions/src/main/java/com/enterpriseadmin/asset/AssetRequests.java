package com.enterpriseadmin.asset;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The request bodies of the asset routes, checked as they bind (every bad member a 400 naming it). */
public final class AssetRequests {
    /** Teams one asset may be shared with. */
    public static final int MAX_TEAMS = 20;
    public static final int MAX_NAME = 200;
    private static final Pattern CONTENT_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}");

    private AssetRequests() {}

    /** {@code POST /v1/organizations/{orgId}/assets}. */
    public record Create(String name, String contentType, long size, Asset.Visibility visibility, List<String> teamIds) {
        @JsonCreator
        public static Create of(@JsonProperty("name") String name, @JsonProperty("contentType") String contentType, @JsonProperty("size") Long size,
                                @JsonProperty("visibility") Asset.Visibility visibility,
                                @JsonProperty("teamIds") List<String> teamIds) {
            return new Create(AssetRequests.name(name), AssetRequests.contentType(contentType), AssetRequests.size(size),
                    required(visibility, "visibility"), teams(visibility, teamIds));
        }
    }

    /** {@code PATCH /v1/organizations/{orgId}/assets/{assetId}}: name and/or visibility (with teams); a null member is the same as leaving it out. */
    public record Update(Optional<String> name, Optional<Asset.Visibility> visibility, Optional<List<String>> teamIds) {
        @JsonCreator
        public static Update of(@JsonProperty("name") String name,
                                @JsonProperty("visibility") Asset.Visibility visibility,
                                @JsonProperty("teamIds") List<String> teamIds) {
            return new Update(Optional.ofNullable(name).map(AssetRequests::name), Optional.ofNullable(visibility), updatedTeams(visibility, teamIds));
        }

        /** Checked after binding, so that an unknown member is reported by name first. */
        public Update requireChange() {
            if (name.isEmpty() && visibility.isEmpty()) {
                throw new InvalidInput("body", "give 'name' and/or 'visibility' (with 'teamIds' for TEAMS)");
            }
            return this;
        }
    }

    private static Optional<List<String>> updatedTeams(Asset.Visibility visibility, List<String> teamIds) {
        if (visibility == null) {
            if (teamIds != null) {
                throw new InvalidInput("teamIds", "'teamIds' changes only with 'visibility' (give both)");
            }
            return Optional.empty();
        }
        return Optional.of(teams(visibility, teamIds));
    }

    static String name(String raw) {
        if (raw == null) {
            throw new InvalidInput("name", "'name' is required");
        }
        String name = Normalizer.normalize(raw.strip().replaceAll("\\s+", " "), Normalizer.Form.NFC);
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new InvalidInput("name", "'name' must have 1 to " + MAX_NAME + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput("name", "'name' must not contain control characters");
        }
        return name;
    }

    static String contentType(String raw) {
        if (raw == null) {
            throw new InvalidInput("contentType", "'contentType' is required");
        }
        String type = raw.strip().toLowerCase(Locale.ROOT);
        if (!CONTENT_TYPE.matcher(type).matches()) {
            throw new InvalidInput("contentType", "'contentType' must be a media type such as image/png (no parameters)");
        }
        return type;
    }

    static long size(Long size) {
        if (size == null) {
            throw new InvalidInput("size", "'size' (bytes) is required");
        }
        if (size < 1) {
            throw new InvalidInput("size", "'size' must be at least 1 byte");
        }
        return size;
    }

    static List<String> teams(Asset.Visibility visibility, List<String> teamIds) {
        if (visibility == Asset.Visibility.ORGANIZATION) {
            if (teamIds != null && !teamIds.isEmpty()) {
                throw new InvalidInput("teamIds", "'teamIds' is only for visibility TEAMS");
            }
            return List.of();
        }
        if (visibility == null) {
            return List.of();
        }
        if (teamIds == null || teamIds.isEmpty()) {
            throw new InvalidInput("teamIds", "visibility TEAMS needs 'teamIds' (1 to " + MAX_TEAMS + " team ids)");
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String t : teamIds) {
            if (t == null || !com.enterpriseadmin.store.Ids.isWellFormed(t)) {
                throw new InvalidInput("unknown-team", "teamIds", "'teamIds' holds something that is not a team id");
            }
            distinct.add(t);
        }
        if (distinct.size() > MAX_TEAMS) {
            throw new InvalidInput("teamIds", "an asset is shared with at most " + MAX_TEAMS + " teams");
        }
        return List.copyOf(distinct);
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidInput(field, "'" + field + "' is required");
        }
        return value;
    }
}
