INSERT INTO greetings (language, text) VALUES ('en', 'Hello');
INSERT INTO greetings (language, text) VALUES ('fr', 'Bonjour');
INSERT INTO greetings (language, text) VALUES ('de', 'Hallo');
