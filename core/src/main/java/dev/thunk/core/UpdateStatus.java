package dev.thunk.core;

/** AWS's {@code LastUpdateStatus} of a function. */
public enum UpdateStatus { InProgress, Successful, Failed }
