package com.enterpriseadmin.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The e-mails: links into the console, and user-typed text escaped in HTML. */
class MessagesTest {
    private final Messages messages = new Messages("https://console.example.com/");

    @Test
    void anInvitationLinksToTheConsoleWithItsId() {
        Email e = messages.invitation("ada@example.com", "Acme", "Grace", "ADMIN", "inv1", "2026-12-07T00:00:00.000Z", false);
        assertEquals("ada@example.com", e.to());
        assertEquals("https://console.example.com/?invitation=inv1", messages.acceptLink("inv1"));
        assertTrue(e.text().contains("https://console.example.com/?invitation=inv1"), e.text());
        assertTrue(e.html().contains("href=\"https://console.example.com/?invitation=inv1\""), e.html());
        assertTrue(e.subject().contains("Acme"));
        assertTrue(messages.invitation("a@b.c", "Acme", "G", "USER", "i", "t", true).subject().startsWith("Reminder: "));
    }

    @Test
    void userTypedTextIsEscapedInHtml() {
        String evil = "<script>alert('x')</script> & \"co\"";
        Email e = messages.invitation("ada@example.com", evil, evil, "USER", "inv1", "t", false);
        assertFalse(e.html().contains("<script>"), e.html());
        assertTrue(e.html().contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"), e.html());
        Email alert = messages.budgetAlert("a@b.c", evil, evil, "t1",
                new BudgetAlerts.Transition("P", 80, BudgetAlerts.Direction.CROSSED, 80, 100));
        assertFalse(alert.html().contains("<script>"), alert.html());
        assertTrue(alert.text().contains("80 of 100 credits"), alert.text());
    }
}
