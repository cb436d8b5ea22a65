/**
 * Handlers shipped in the runtime jar for {@link dev.thunk.runtime.java.Train} only: they take every start-up
 * path (plain JSON, a POJO through AWS's serialization library, a stream, a plain method, an error) so that a
 * class-data archive built from the training run holds the classes those paths load.
 */
package dev.thunk.runtime.java.training;
