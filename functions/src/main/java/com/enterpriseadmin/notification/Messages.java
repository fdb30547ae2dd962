package com.enterpriseadmin.notification;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The texts of the e-mails, each as plain text and HTML. Everything a user typed (names, e-mail addresses,
 * team and organization names) is escaped in the HTML body; links carry only ids, URL-encoded.
 */
public final class Messages {
    private final String consoleUrl;

    public Messages(String consoleUrl) {
        this.consoleUrl = consoleUrl.endsWith("/") ? consoleUrl.substring(0, consoleUrl.length() - 1) : consoleUrl;
    }

    /** The console link that shows the invitation; its {@code invitation} parameter is the id to accept. */
    public String acceptLink(String invitationId) {
        return consoleUrl + "/?invitation=" + URLEncoder.encode(invitationId, StandardCharsets.UTF_8);
    }

    public Email invitation(String to, String orgName, String inviter, String role, String invitationId, String expiresAt, boolean resent) {
        String link = acceptLink(invitationId);
        String subject = (resent ? "Reminder: " : "") + "You are invited to join " + orgName;
        String text = inviter + " invited you to join the organization " + orgName + " as " + role + ".\n\n"
                + "Accept the invitation: " + link + "\n\nThe invitation expires at " + expiresAt + ".\n";
        String html = "<p>" + esc(inviter) + " invited you to join the organization <strong>" + esc(orgName) + "</strong> as "
                + esc(role) + ".</p><p><a href=\"" + esc(link) + "\">Accept the invitation</a></p><p>The invitation expires at "
                + esc(expiresAt) + ".</p>";
        return new Email(to, subject, text, html);
    }

    public Email invitationRevoked(String to, String orgName) {
        String subject = "Your invitation to " + orgName + " was withdrawn";
        String text = "The invitation to join " + orgName + " was withdrawn by an administrator. You need not do anything.\n";
        String html = "<p>The invitation to join <strong>" + esc(orgName) + "</strong> was withdrawn by an administrator. You need not do anything.</p>";
        return new Email(to, subject, text, html);
    }

    public Email addedToTeam(String to, String orgName, String teamName, String role) {
        String subject = "You were added to the team " + teamName;
        String text = "You were added to the team " + teamName + " of " + orgName + " as " + role + ".\n\n" + consoleUrl + "/\n";
        String html = "<p>You were added to the team <strong>" + esc(teamName) + "</strong> of " + esc(orgName) + " as " + esc(role)
                + ".</p><p><a href=\"" + esc(consoleUrl) + "/\">Open the console</a></p>";
        return new Email(to, subject, text, html);
    }

    public Email roleChanged(String to, String orgName, String where, String role) {
        String subject = "Your role in " + where + " changed";
        String text = "Your role in " + where + " (" + orgName + ") is now " + role + ".\n\n" + consoleUrl + "/\n";
        String html = "<p>Your role in <strong>" + esc(where) + "</strong> (" + esc(orgName) + ") is now " + esc(role)
                + ".</p><p><a href=\"" + esc(consoleUrl) + "/\">Open the console</a></p>";
        return new Email(to, subject, text, html);
    }

    public Email webhookDisabled(String to, String orgName, String url, String reason) {
        String subject = "A webhook endpoint of " + orgName + " was disabled";
        String text = "The webhook endpoint " + url + " of " + orgName + " was disabled: " + reason + ".\n\n"
                + "No events are sent to it until an administrator enables it again (PATCH its \"enabled\"); its failed deliveries "
                + "can be redelivered from the console or the API.\n\n" + consoleUrl + "/\n";
        String html = "<p>The webhook endpoint <code>" + esc(url) + "</code> of <strong>" + esc(orgName) + "</strong> was disabled: "
                + esc(reason) + ".</p><p>No events are sent to it until an administrator enables it again; its failed deliveries can be "
                + "redelivered.</p><p><a href=\"" + esc(consoleUrl) + "/\">Open the console</a></p>";
        return new Email(to, subject, text, html);
    }

    public Email removedFromOrganization(String to, String orgName) {
        String subject = "You were removed from " + orgName;
        String text = "An administrator removed you from the organization " + orgName + ".\n";
        String html = "<p>An administrator removed you from the organization <strong>" + esc(orgName) + "</strong>.</p>";
        return new Email(to, subject, text, html);
    }

    public Email budgetAlert(String to, String orgName, String teamName, String teamId, BudgetAlerts.Transition t) {
        boolean crossed = t.direction() == BudgetAlerts.Direction.CROSSED;
        String subject = crossed
                ? "Team " + teamName + " has used " + t.threshold() + " % of its budget"
                : "Team " + teamName + " is back under " + t.threshold() + " % of its budget";
        String figures = t.usage() + " of " + t.limit() + " credits used in the period " + t.period();
        String link = consoleUrl + "/teams/" + URLEncoder.encode(teamId, StandardCharsets.UTF_8) + "/usage";
        String text = (crossed ? "The team " + teamName + " of " + orgName + " has crossed " + t.threshold() + " % of its budget: "
                : "The team " + teamName + " of " + orgName + " is back under " + t.threshold() + " % of its budget: ")
                + figures + ".\n\nUsage: " + link + "\n";
        String html = "<p>" + (crossed ? "The team <strong>" + esc(teamName) + "</strong> of " + esc(orgName) + " has crossed "
                : "The team <strong>" + esc(teamName) + "</strong> of " + esc(orgName) + " is back under ")
                + t.threshold() + " % of its budget: " + esc(figures) + ".</p><p><a href=\"" + esc(link) + "\">Usage</a></p>";
        return new Email(to, subject, text, html);
    }

    public Email lowBalance(String to, String orgName, boolean low, long available, long threshold) {
        String subject = low ? orgName + " is running low on credits" : orgName + " has enough credits again";
        String figures = available + " credits available; the alert is set at " + threshold;
        String link = consoleUrl + "/credits";
        String text = (low ? "The organization " + orgName + " is running low on credits: " : "The organization " + orgName
                + " is back above its low-balance alert: ") + figures + ".\n\nCredits: " + link + "\n";
        String html = "<p>" + (low ? "The organization <strong>" + esc(orgName) + "</strong> is running low on credits: "
                : "The organization <strong>" + esc(orgName) + "</strong> is back above its low-balance alert: ") + esc(figures)
                + ".</p><p><a href=\"" + esc(link) + "\">Credits</a></p>";
        return new Email(to, subject, text, html);
    }

    /** HTML-escapes text for element content and double-quoted attributes. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
