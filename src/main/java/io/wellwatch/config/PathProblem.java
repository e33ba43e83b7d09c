package io.wellwatch.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Says in words why a directory named in the config could not be created or opened. The JDK's
 * exceptions for these carry only the path as their message, which printed alone reads as
 * {@code wellwatch: /etc/passwd}.
 */
public final class PathProblem {

    private PathProblem() {
    }

    public static String describe(IOException e) {
        String where = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : null;
        String what;
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            what = "exists and is not a directory";
        } else if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            what = "no such file or directory";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            what = f.getReason();
        } else {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return where == null ? what : where + ": " + what;
    }
}
