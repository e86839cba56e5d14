package dev.gridhouse.ods.source;

import java.io.File;
import java.io.Serializable;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.function.Predicate;
import javax.annotation.Nullable;
import org.apache.flink.connector.file.src.enumerate.DefaultFileFilter;
import org.apache.flink.core.fs.Path;

/**
 * A file source path whose file-name part may be a glob, e.g. {@code /data/day-*.jsonl}: {@link
 * #directory()} is what the source lists, {@link #test} keeps the directory's entries whose name
 * matches the glob ({@link java.nio.file.FileSystem#getPathMatcher} syntax: {@code * ? [..] {a,b}})
 * and drops hidden files like {@link DefaultFileFilter}. Only the last path component may hold a
 * glob.
 */
public final class GlobFileFilter implements Predicate<Path>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String directory;
    private final String glob;
    private transient @Nullable PathMatcher matcher;

    private GlobFileFilter(String directory, String glob) {
        this.directory = directory;
        this.glob = glob;
    }

    /** True if the last component of {@code path} holds a glob character. */
    public static boolean isGlob(String path) {
        String name = new Path(path).getName();
        for (char c : new char[] {'*', '?', '[', '{'}) {
            if (name.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The filter of a glob path such as {@code /data/day-*.jsonl}. */
    public static GlobFileFilter of(String path) {
        Path p = new Path(path);
        Path parent = p.getParent();
        if (parent == null) {
            parent = new Path(".");
        }
        String dir = parent.toString();
        if (parent.toUri().getScheme() == null) {
            dir = new File(parent.toUri().getPath()).getAbsolutePath();
        }
        return new GlobFileFilter(dir, p.getName());
    }

    /** The directory the source lists. */
    public Path directory() {
        return new Path(directory);
    }

    /** The glob of the file names. */
    public String glob() {
        return glob;
    }

    @Override
    public boolean test(Path path) {
        String name = path.getName();
        if (name.startsWith(".") || name.startsWith("_")) {
            return false; // hidden, as DefaultFileFilter
        }
        Path parent = path.getParent();
        if (parent == null || !samePath(parent, directory())) {
            return true; // the directory itself (deeper entries are only reached via a match)
        }
        if (matcher == null) {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        }
        return matcher.matches(Paths.get(name));
    }

    private static boolean samePath(Path a, Path b) {
        return trim(a.toUri().getPath()).equals(trim(b.toUri().getPath()));
    }

    private static String trim(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    @Override
    public String toString() {
        return directory + "/" + glob;
    }
}
