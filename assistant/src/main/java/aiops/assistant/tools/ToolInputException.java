package aiops.assistant.tools;

/** A call the tool cannot answer as asked: a bad argument, or something that does not exist. The message is for the caller. */
public final class ToolInputException extends Exception {

    private static final long serialVersionUID = 1L;

    public ToolInputException(final String message) {
        super(message);
    }
}
