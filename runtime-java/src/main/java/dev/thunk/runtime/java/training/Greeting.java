package dev.thunk.runtime.java.training;

import java.util.List;

/** A bean as users write them, so training takes AWS's Jackson mapping through getters and setters. */
public class Greeting {
    private String name;
    private int count;
    private List<String> tags;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public int getCount() {
        return count;
    }

    public void setCount(int count) {
        this.count = count;
    }

    public List<String> getTags() {
        return tags;
    }

    public void setTags(List<String> tags) {
        this.tags = tags;
    }
}
