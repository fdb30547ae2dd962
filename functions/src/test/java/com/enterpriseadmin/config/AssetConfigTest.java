package com.enterpriseadmin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssetConfigTest {

    @Test
    void defaultsAreTheTemplatesAndTheBucketIsRequiredOnlyWhenUsed() {
        AssetConfig c = AssetConfig.from(Map.of());
        assertEquals(1L << 30, c.maxBytes());
        assertEquals(10L << 30, c.quotaBytes());
        assertFalse(c.forcePathStyle());
        assertEquals(Duration.ofMinutes(15), c.uploadTtl());
        assertTrue(c.contentTypes().contains("video/webm"));
        assertEquals("environment variable ASSETS_BUCKET is not set", assertThrows(IllegalStateException.class, c::requireBucket).getMessage());
        assertEquals("b", AssetConfig.from(Map.of("ASSETS_BUCKET", " b ")).requireBucket());
    }

    @Test
    void aTypeWhoseBytesCannotBeCheckedOrABadNumberFailsTheStart() {
        assertTrue(assertThrows(IllegalStateException.class, () -> AssetConfig.from(Map.of("ASSET_CONTENT_TYPES", "image/png,text/html")))
                .getMessage().contains("text/html"));
        assertTrue(assertThrows(IllegalStateException.class, () -> AssetConfig.from(Map.of("ASSET_MAX_BYTES", "-1")))
                .getMessage().contains("ASSET_MAX_BYTES"));
        assertEquals(java.util.Set.of("image/png"), AssetConfig.from(Map.of("ASSET_CONTENT_TYPES", " IMAGE/PNG ,")).contentTypes());
    }
}
