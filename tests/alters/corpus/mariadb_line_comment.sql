-- Hello
--Hello
--From Curaçao
# hashtag comment
#hashtag comment without space
USE db; #inline
USE db; # inline w/ space
USE db; --inline
USE db; -- inline
