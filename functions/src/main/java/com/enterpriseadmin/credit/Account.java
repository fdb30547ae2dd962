package com.enterpriseadmin.credit;

/** An organization's credit account. {@code available = purchased − consumed − held}, never negative. */
public record Account(long purchased, long consumed, long held, long available) {
    public static final Account EMPTY = new Account(0, 0, 0, 0);
}
