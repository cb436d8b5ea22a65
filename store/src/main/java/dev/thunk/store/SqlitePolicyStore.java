package dev.thunk.store;

import dev.thunk.core.access.FunctionPolicy;
import dev.thunk.core.access.PolicyStatement;
import dev.thunk.core.access.PolicyStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resource-based policies in the {@code policies} table (one revision per function and qualifier) and their
 * statements in {@code policy_statements}, in the order they were added. Each change checks and writes in one
 * transaction, so two concurrent changes with the same expected revision cannot both succeed.
 */
public final class SqlitePolicyStore implements PolicyStore {
    private final SqliteDatabase db;

    public SqlitePolicyStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<FunctionPolicy> findPolicy(String functionName, String qualifier) {
        return db.transaction(c -> find(c, functionName, qualifier));
    }

    @Override
    public Outcome addStatement(String functionName, String qualifier, PolicyStatement statement,
                                Optional<String> expectedRevisionId, String newRevisionId) {
        return guardedChange(functionName, qualifier, expectedRevisionId, (c, current) -> {
            if (current.isPresent() && current.get().statements().stream()
                    .anyMatch(s -> s.sid().equals(statement.sid()))) {
                return Outcome.STATEMENT_EXISTS;
            }
            try (PreparedStatement put = c.prepareStatement("INSERT INTO policies (name, qualifier, revision_id) "
                    + "VALUES (?, ?, ?) ON CONFLICT (name, qualifier) DO UPDATE SET revision_id = excluded.revision_id")) {
                put.setString(1, functionName);
                put.setString(2, qualifier);
                put.setString(3, newRevisionId);
                put.executeUpdate();
            }
            try (PreparedStatement put = c.prepareStatement("INSERT INTO policy_statements (name, qualifier, sid, "
                    + "action, principal, resource, source_arn, source_account, url_auth_type) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                put.setString(1, functionName);
                put.setString(2, qualifier);
                put.setString(3, statement.sid());
                put.setString(4, statement.action());
                put.setString(5, statement.principal());
                put.setString(6, statement.resource());
                put.setString(7, statement.sourceArn().orElse(null));
                put.setString(8, statement.sourceAccount().orElse(null));
                put.setString(9, statement.functionUrlAuthType().orElse(null));
                put.executeUpdate();
            }
            return Outcome.CHANGED;
        });
    }

    @Override
    public Outcome removeStatement(String functionName, String qualifier, String sid,
                                   Optional<String> expectedRevisionId, String newRevisionId) {
        return guardedChange(functionName, qualifier, expectedRevisionId, (c, current) -> {
            if (current.isEmpty() || current.get().statements().stream().noneMatch(s -> s.sid().equals(sid))) {
                return Outcome.NO_STATEMENT;
            }
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM policy_statements WHERE name = ? AND qualifier = ? AND sid = ?")) {
                delete.setString(1, functionName);
                delete.setString(2, qualifier);
                delete.setString(3, sid);
                delete.executeUpdate();
            }
            boolean last = current.get().statements().size() == 1;
            try (PreparedStatement update = c.prepareStatement(last
                    ? "DELETE FROM policies WHERE name = ? AND qualifier = ?"
                    : "UPDATE policies SET revision_id = ? WHERE name = ? AND qualifier = ?")) {
                int i = 1;
                if (!last) {
                    update.setString(i++, newRevisionId);
                }
                update.setString(i++, functionName);
                update.setString(i, qualifier);
                update.executeUpdate();
            }
            return Outcome.CHANGED;
        });
    }

    /** No policy yet has no revision to match: a change that expects one is refused, as a stale one would be. */
    private static boolean revisionMatches(Optional<FunctionPolicy> current, Optional<String> expected) {
        return expected.isEmpty() || current.map(p -> p.revisionId().equals(expected.get())).orElse(false);
    }

    private static boolean functionExists(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM functions WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Optional<FunctionPolicy> find(Connection c, String name, String qualifier) throws SQLException {
        String revision;
        try (PreparedStatement q = c.prepareStatement(
                "SELECT revision_id FROM policies WHERE name = ? AND qualifier = ?")) {
            q.setString(1, name);
            q.setString(2, qualifier);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                revision = rs.getString(1);
            }
        }
        List<PolicyStatement> statements = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT sid, action, principal, resource, source_arn, "
                + "source_account, url_auth_type FROM policy_statements WHERE name = ? AND qualifier = ? ORDER BY id")) {
            q.setString(1, name);
            q.setString(2, qualifier);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    statements.add(new PolicyStatement(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)),
                            Optional.ofNullable(rs.getString(7))));
                }
            }
        }
        return Optional.of(new FunctionPolicy(statements, revision));
    }

    /** The part of a policy change that runs once its preconditions hold. */
    @FunctionalInterface
    private interface PolicyChange {
        Outcome apply(Connection c, Optional<FunctionPolicy> current) throws SQLException;
    }

    /**
     * Runs {@code change} in one transaction, once the function exists and the policy's revision is the expected
     * one; otherwise answers which precondition failed.
     */
    private Outcome guardedChange(String functionName, String qualifier, Optional<String> expectedRevisionId,
                                  PolicyChange change) {
        return db.transaction(c -> {
            if (!functionExists(c, functionName)) {
                return Outcome.NO_FUNCTION;
            }
            Optional<FunctionPolicy> current = find(c, functionName, qualifier);
            if (!revisionMatches(current, expectedRevisionId)) {
                return Outcome.REVISION_MISMATCH;
            }
            return change.apply(c, current);
        });
    }
}
