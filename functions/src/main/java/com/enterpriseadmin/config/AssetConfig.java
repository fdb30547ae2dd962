package com.enterpriseadmin.config;

import com.enterpriseadmin.asset.ContentSniffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reference-asset settings, read from the environment once and checked at start-up like {@link Config}
 * (a separate record: only the asset functions carry them). {@code ASSETS_BUCKET} is required by the
 * asset functions only ({@link #requireBucket()}); the S3 endpoint is the SDK's business
 * ({@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL}), path-style addressing is {@code S3_FORCE_PATH_STYLE}.
 */
public record AssetConfig(
        Optional<String> bucket,
        Set<String> contentTypes,
        long maxBytes,
        long quotaBytes,
        boolean forcePathStyle,
        Duration uploadTtl,
        Duration downloadTtl) {

    public static final String DEFAULT_CONTENT_TYPES =
            "image/png,image/jpeg,image/gif,image/webp,application/pdf,audio/mpeg,audio/wav,audio/ogg,video/mp4,video/quicktime,video/webm";

    public static AssetConfig fromEnv() {
        return from(System.getenv());
    }

    public static AssetConfig from(Map<String, String> env) {
        return new AssetConfig(
                Optional.ofNullable(Config.blankToNull(env.get("ASSETS_BUCKET"))),
                contentTypes(env.getOrDefault("ASSET_CONTENT_TYPES", DEFAULT_CONTENT_TYPES)),
                Config.positiveLong(env, "ASSET_MAX_BYTES", 1L << 30),
                Config.positiveLong(env, "ASSET_STORAGE_QUOTA_BYTES", 10L << 30),
                Boolean.parseBoolean(env.getOrDefault("S3_FORCE_PATH_STYLE", "false")),
                Duration.ofSeconds(Config.positiveLong(env, "ASSET_UPLOAD_TTL_SECONDS", 900)),
                Duration.ofSeconds(Config.positiveLong(env, "ASSET_DOWNLOAD_TTL_SECONDS", 300)));
    }

    public String requireBucket() {
        return bucket.orElseThrow(() -> new IllegalStateException("environment variable ASSETS_BUCKET is not set"));
    }

    static Set<String> contentTypes(String raw) {
        Set<String> types = Arrays.stream(raw.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String t : types) {
            if (!ContentSniffer.recognises(t)) {
                throw new IllegalStateException("environment variable ASSET_CONTENT_TYPES names '" + t
                        + "', a type whose bytes cannot be checked; use types of " + Arrays.toString(ContentSniffer.Format.values()));
            }
        }
        if (types.isEmpty()) {
            throw new IllegalStateException("environment variable ASSET_CONTENT_TYPES names no content type");
        }
        return types;
    }
}
