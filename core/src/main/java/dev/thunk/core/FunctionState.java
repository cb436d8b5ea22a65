package dev.thunk.core;

/** AWS's {@code State} of a function version. */
public enum FunctionState { Pending, Active, Inactive, Failed }
