package example;

import com.amazonaws.services.lambda.runtime.RequestHandler;

/** Leaves the type arguments open, so the runtime must resolve them through the subclass. */
public abstract class BaseHandler<I, O> implements RequestHandler<I, O> {
}
