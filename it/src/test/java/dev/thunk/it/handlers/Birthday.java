package dev.thunk.it.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** POJO in, POJO out. */
public class Birthday implements RequestHandler<Person, Person> {
    @Override
    public Person handleRequest(Person person, Context context) {
        person.setAge(person.getAge() + 1);
        return person;
    }
}
