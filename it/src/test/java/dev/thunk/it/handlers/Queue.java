package dev.thunk.it.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

/** A plain method taking an aws-lambda-java-events type, written for AWS and run unchanged. */
public class Queue {
    public String bodies(SQSEvent event, Context context) {
        StringBuilder out = new StringBuilder();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            out.append(message.getMessageId()).append('=').append(message.getBody()).append(';');
        }
        return out.toString();
    }
}
