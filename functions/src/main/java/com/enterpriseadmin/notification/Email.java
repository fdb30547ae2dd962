package com.enterpriseadmin.notification;

/** One e-mail to one address: a plain-text and an HTML body of the same message. */
public record Email(String to, String subject, String text, String html) {}
