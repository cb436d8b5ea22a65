package dev.thunk.engine.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Class-data archives of Thunk's Java runtime client, one per JDK, so that Java functions start from classes the
 * JVM has already parsed and linked: an AOT cache on JDK 25 and later, a dynamic AppCDS archive on JDK 17 to 24.
 *
 * <p>{@link #startBuilding} returns at once; one background thread then removes archives that are no longer
 * current and trains the missing ones, one after another: {@code dev.thunk.runtime.java.Train} on the JDK with the
 * runtime's JVM flags and class path, a clean environment, a time limit and the lowest CPU priority. An archive is
 * written under a temporary name and renamed into place only when the training exits 0, so its file exists only
 * when it is complete. Its name is its {@link JavaArchiveKey}: a later server reuses it as long as the JDK, the jars and the flags are the
 * same, and never uses it once one of them changed.
 *
 * <p>{@link #sharingFlags} never waits: until a JDK's archive is ready, or when it cannot be built, the JVM starts
 * as it would without archives ({@code -Xshare:auto}: the JDK's own CDS archive). Thread-safe. {@link #close}
 * stops a training in progress and waits for its process to end.
 */
public final class JavaArchives implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JavaArchives.class.getName());
    static final List<String> NO_ARCHIVE = List.of("-Xshare:auto");
    static final Duration TIME_LIMIT = Duration.ofSeconds(60);
    private static final String TRAINING_HEAP = "-Xmx256m";
    private static final String TRAINING_CLASS = "dev.thunk.runtime.java.Train";
    /** The files this class writes in its directory: archives, their temporary files, training logs. */
    private static final Pattern OWN_FILES =
            Pattern.compile("[0-9a-f]{16}\\.(aot|jsa)(\\.tmp.*)?|training-.*\\.log\\.tmp");

    /** Runs one training command; {@link TrainingProcess} does, tests give a fake. */
    interface Trainer {
        /** A finished training: its exit status (-1 when it did not start or ran out of time) and its output. */
        record Run(int exitCode, String output) {
        }

        Run run(List<String> command, Path workDir, Duration limit) throws InterruptedException;
    }

    private final boolean enabled;
    private final Path dir;
    private final List<Path> javas;
    private final String classPath;
    private final Trainer trainer;
    private final ExecutorService builds =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("thunk-java-archives").factory());
    /** Keys whose build was queued by this server, so that each is tried once, even when it fails. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Tasks queued or running; a task that queues another does so before it ends, so 0 means all done. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean building;

    JavaArchives(boolean enabled, Path dir, List<Path> javas, String classPath, Trainer trainer) {
        this.enabled = enabled;
        this.dir = dir;
        this.javas = List.copyOf(javas);
        this.classPath = classPath;
        this.trainer = trainer;
    }

    /** Archives in {@code dir} for the runtime client at {@code classPath} on every JDK the catalogue uses. */
    public static JavaArchives create(Path dir, RuntimeCatalog catalog, String classPath) {
        return new JavaArchives(true, dir, catalog.javaExecutables(), classPath, TrainingProcess.create());
    }

    /** No archives: every JVM starts with {@code -Xshare:auto}, as before archives existed. */
    public static JavaArchives disabled() {
        return new JavaArchives(false, Path.of("."), List.of(), "", TrainingProcess.create());
    }

    /** Queues the removal of stale archives and the builds of missing ones; returns without waiting for either. */
    public void startBuilding() {
        if (!enabled) {
            return;
        }
        building = true;
        submit(() -> {
            removeStale();
            for (Path java : javas) {
                key(java).ifPresent(key -> queue(java, key));
            }
        });
    }

    /**
     * The class-data sharing flags for a runtime client JVM on {@code java}: its archive's when that is ready and
     * current, else {@link #NO_ARCHIVE}. Once building started, a missing archive is queued (the jars may have
     * been rebuilt since the start). Costs a few file-system lookups; never waits for a build.
     */
    List<String> sharingFlags(Path java) {
        if (!enabled) {
            return NO_ARCHIVE;
        }
        Optional<JavaArchiveKey> key = key(java);
        if (key.isEmpty()) {
            return NO_ARCHIVE;
        }
        Path archive = dir.resolve(key.get().fileName());
        if (Files.isRegularFile(archive)) {
            return key.get().useFlags(archive);
        }
        if (building) {
            queue(java, key.get());
        }
        return NO_ARCHIVE;
    }

    /** Whether {@code java} has an archive ready and current, which {@link #sharingFlags} hands out. */
    boolean ready(Path java) {
        return enabled && key(java).map(k -> Files.isRegularFile(dir.resolve(k.fileName()))).orElse(false);
    }

    private Optional<JavaArchiveKey> key(Path java) {
        return JavaArchiveKey.of(java, classPath, RuntimeCommand.JVM_FLAGS);
    }

    private void queue(Path java, JavaArchiveKey key) {
        if (queued.add(key.hash())) {
            submit(() -> build(java, key));
        }
    }

    private void submit(Runnable task) {
        pending.incrementAndGet();
        try {
            builds.execute(() -> {
                try {
                    task.run();
                } finally {
                    done();
                }
            });
        } catch (RejectedExecutionException e) {
            done(); // closed: the server is stopping
        }
    }

    private void done() {
        if (pending.decrementAndGet() == 0) {
            synchronized (pending) {
                pending.notifyAll();
            }
        }
    }

    /** Waits until no removal or build is queued or running; false if that took longer than {@code timeout}. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (pending) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(pending, left);
            }
        }
        return true;
    }

    private void build(Path java, JavaArchiveKey key) {
        Path archive = dir.resolve(key.fileName());
        Path temporary = dir.resolve(key.fileName() + ".tmp");
        if (Files.isRegularFile(archive)) {
            return;
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>(List.of(java.toString()));
            command.addAll(RuntimeCommand.JVM_FLAGS);
            command.add(TRAINING_HEAP);
            command.addAll(key.trainFlags(temporary));
            command.addAll(List.of("-cp", classPath, TRAINING_CLASS));
            Trainer.Run run = trainer.run(command, dir, TIME_LIMIT);
            if (run.exitCode() != 0 || !Files.isRegularFile(temporary)) {
                LOG.warning("Java functions on " + java + " start without a class-data archive: its training "
                        + (run.exitCode() == 0 ? "wrote no archive" : "ended with status " + run.exitCode())
                        + ":\n" + run.output());
            } else if (!key(java).equals(Optional.of(key))) {
                LOG.fine("the JDK or the jars changed during the training of " + archive + "; not kept");
            } else {
                Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE);
                LOG.fine(() -> "class-data archive " + archive + " for " + java + " ready in "
                        + (System.nanoTime() - started) / 1_000_000 + " ms:\n" + run.output());
            }
        } catch (IOException e) {
            LOG.warning("Java functions on " + java + " start without a class-data archive: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(temporary);
            deleteQuietly(Path.of(temporary + ".config")); // JDK 25's training data, left when it was killed
        }
    }

    /** Removes this class's files that no current key names: archives of old jars or JDKs, and leftovers. */
    private void removeStale() {
        Set<String> current = javas.stream().flatMap(java -> key(java).stream())
                .map(JavaArchiveKey::fileName).collect(Collectors.toSet());
        if (current.isEmpty()) {
            return; // no archive can serve this class path (directories): leave those of other servers alone
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> OWN_FILES.matcher(f.getFileName().toString()).matches())
                    .filter(f -> !current.contains(f.getFileName().toString()))
                    .forEach(JavaArchives::deleteQuietly);
        } catch (NoSuchFileException e) {
            // Nothing built yet.
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot list " + dir, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot delete " + file, e);
        }
    }

    @Override
    public void close() {
        builds.shutdownNow();
        try {
            if (!builds.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warning("a class-data archive training did not stop within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
