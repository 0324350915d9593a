DROP TABLE resumable_posts;
