package com.enterpriseadmin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntegrationConfigTest {

    @Test
    void onlyANonProdStageAllowsPrivateTargetsAndAMissingStageIsProd() {
        assertTrue(IntegrationConfig.from(Map.of()).publicTargetsOnly(), "no STAGE: the safe side");
        assertTrue(IntegrationConfig.from(Map.of("STAGE", "prod")).publicTargetsOnly());
        assertFalse(IntegrationConfig.from(Map.of("STAGE", "dev")).publicTargetsOnly());
    }

    @Test
    void theBackoffComesFromTheEnvironmentAndAMalformedValueNamesTheVariable() {
        IntegrationConfig c = IntegrationConfig.from(Map.of("WEBHOOK_RETRY_BASE_SECONDS", "1", "WEBHOOK_RETRY_WINDOW_SECONDS", "60"));
        assertEquals(Duration.ofSeconds(1), c.retryBase());
        assertEquals(Duration.ofSeconds(60), c.retryWindow());
        assertEquals(Duration.ofDays(3), c.disableAfter());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> IntegrationConfig.from(Map.of("WEBHOOK_DISABLE_AFTER_SECONDS", "soon")));
        assertTrue(e.getMessage().contains("WEBHOOK_DISABLE_AFTER_SECONDS"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> IntegrationConfig.from(Map.of("WEBHOOK_RETRY_BASE_SECONDS", "0")));
        assertTrue(assertThrows(IllegalStateException.class, () -> IntegrationConfig.from(Map.of()).requireEventBusName())
                .getMessage().contains("EVENT_BUS_NAME"));
    }
}
